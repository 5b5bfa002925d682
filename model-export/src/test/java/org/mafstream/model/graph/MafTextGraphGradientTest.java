package org.mafstream.model.graph;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.testing.Comparison;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Every op of MAF's text graph is differentiable by TensorFlow's C++ gradient registry (what
 * {@code Graph.addGradients} uses, and what a trainer in this stack stands on): the gradient of a
 * scalar of the emissions, y = Σ emissions ⊙ R for a fixed random R, with respect to every
 * weight exists, and agrees with central finite differences at each weight's largest entry.
 */
class MafTextGraphGradientTest {
    private static final int BATCH = 2;
    private static final int DYNAMIC_LENGTH = 12;
    private static final float STEP = 1e-2f;

    @BeforeAll
    static void engine() {
        Engine.getEngine("TensorFlow");
    }

    /** MAF's graph at its fixed 128 positions, at a free length, and with LoRA adapters on BERT (a training graph). */
    enum Case {
        FIXED(MafTextGraph.Length.FIXED, LowRankAdapters.NONE),
        DYNAMIC(MafTextGraph.Length.DYNAMIC, LowRankAdapters.NONE),
        DYNAMIC_WITH_ADAPTERS(MafTextGraph.Length.DYNAMIC, LoraMergeTest.PLAN);

        final MafTextGraph.Length length;
        final LowRankAdapters adapters;

        Case(MafTextGraph.Length length, LowRankAdapters adapters) {
            this.length = length;
            this.adapters = adapters;
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void gradientOfEveryWeightMatchesFiniteDifferences(Case graphCase) throws Exception {
        MafTextGraph.Length length = graphCase.length;
        int t = length == MafTextGraph.Length.FIXED ? MafShape.MAX_SEQ_LENGTH : DYNAMIC_LENGTH;
        MafShape shape = MafShape.TINY;
        try (WeightedGraph g = new WeightedGraph()) {
            Ops tf = g.tf();
            MafTextGraph maf = new MafTextGraph(g, shape, length, graphCase.adapters);
            MafTextGraph.Inputs in = maf.inputs();
            Operand<TFloat32> emissions = maf.build(in).emissions();
            float[] r = gaussians(BATCH * t * shape.numLabels(), 7);
            Operand<TFloat32> y = tf.reduceSum(tf.math.mul(emissions,
                    tf.constant(Shape.of(BATCH, t, shape.numLabels()), DataBuffers.of(r, true, false))),
                    tf.constant(new int[] {0, 1, 2}));
            List<String> keys = g.keys();
            Output<?>[] weights = keys.stream().map(key -> g.variable(key).asOutput()).toArray(Output<?>[]::new);
            Output<?>[] gradients = g.graph().addGradients(y.asOutput(), weights);
            assertThat(gradients).hasSameSizeAs(weights).doesNotContainNull();

            try (Session session = new Session(g.graph()); Feeds feeds = new Feeds(in, t, shape)) {
                g.fill(session, LoraMergeTest.weightsWithAdapters(), key -> { });
                List<float[]> analytic = fetchAll(feeds.runner(session), gradients);
                List<String> failures = new ArrayList<>();
                int checked = 0;
                double worst = 0;
                for (int w = 0; w < keys.size(); w++) {
                    float[] gradient = analytic.get(w);
                    int at = Comparison.argMaxAbs(gradient);
                    if (gradient[at] == 0f) {
                        failures.add(keys.get(w) + ": gradient is zero everywhere");
                        continue;
                    }
                    double numeric = centralDifference(session, g, feeds, y, keys.get(w), weights[w], at);
                    // float32 forward passes: y carries rounding of ~1e-6 relative, so the difference
                    // quotient is good to about 1e-3 absolute at this step.
                    double error = Math.abs(numeric - gradient[at]) / (Math.abs(gradient[at]) + 0.05);
                    worst = Math.max(worst, error);
                    if (error > 2e-2) {
                        failures.add(String.format("%s[%d]: analytic %.6g, finite difference %.6g", keys.get(w), at,
                                gradient[at], numeric));
                    }
                    checked++;
                }
                System.out.printf("gradients (%s, length %d): %d weights, %d checked against finite differences,"
                        + " largest |numeric - analytic| / (|analytic| + 0.05) %.2e%n", graphCase, t, keys.size(), checked, worst);
                assertThat(failures).isEmpty();
                assertThat(checked).isEqualTo(keys.size());
            }
        }
    }

    /** (y(w + h) − y(w − h)) / 2h at one entry, y summed in double from float32 runs; restores w. */
    private static double centralDifference(Session session, WeightedGraph g, Feeds feeds, Operand<TFloat32> y,
                                            String key, Output<?> weight, int at) {
        float[] original = fetch(session.runner().fetch(weight));
        float[] moved = original.clone();
        moved[at] = original[at] + STEP;
        g.assign(session, key, moved);
        double plus = fetch(feeds.runner(session).fetch(y))[0];
        moved[at] = original[at] - STEP;
        g.assign(session, key, moved);
        double minus = fetch(feeds.runner(session).fetch(y))[0];
        g.assign(session, key, original);
        return (plus - minus) / (2.0 * STEP);
    }

    /** Two sentences (one padded), random regions. */
    private static final class Feeds implements AutoCloseable {
        private final MafTextGraph.Inputs in;
        private final TInt32 ids;
        private final TInt32 mask;
        private final TInt32 segments;
        private final TFloat32 regions;

        Feeds(MafTextGraph.Inputs in, int t, MafShape shape) {
            this.in = in;
            int[] idValues = new int[BATCH * t];
            int[] maskValues = new int[BATCH * t];
            SplittableRandom random = new SplittableRandom(3);
            int[] real = {t, t - 4};
            for (int b = 0; b < BATCH; b++) {
                for (int i = 0; i < real[b]; i++) {
                    idValues[b * t + i] = 1000 + random.nextInt(20000);
                    maskValues[b * t + i] = 1;
                }
            }
            Shape tokens = Shape.of(BATCH, t);
            ids = TInt32.tensorOf(tokens, DataBuffers.of(idValues, true, false));
            mask = TInt32.tensorOf(tokens, DataBuffers.of(maskValues, true, false));
            segments = TInt32.tensorOf(tokens, DataBuffers.of(new int[BATCH * t], true, false));
            int channels = shape.resnet().outputChannels();
            regions = TFloat32.tensorOf(Shape.of(BATCH, MafShape.REGIONS, channels),
                    DataBuffers.of(gaussians(BATCH * MafShape.REGIONS * channels, 5), true, false));
        }

        Session.Runner runner(Session session) {
            return session.runner().feed(in.inputIds(), ids).feed(in.inputMask(), mask)
                    .feed(in.segmentIds(), segments).feed(in.regions(), regions);
        }

        @Override
        public void close() {
            ids.close();
            mask.close();
            segments.close();
            regions.close();
        }
    }

    private static List<float[]> fetchAll(Session.Runner runner, Output<?>[] outputs) {
        for (Output<?> output : outputs) {
            runner.fetch(output);
        }
        List<float[]> values = new ArrayList<>();
        try (Result result = runner.run()) {
            for (int i = 0; i < outputs.length; i++) {
                values.add(values((TFloat32) result.get(i)));
            }
        }
        return values;
    }

    private static float[] values(TFloat32 tensor) {
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        tensor.asRawTensor().data().asFloats().read(values);
        return values;
    }

    private static float[] fetch(Session.Runner runner) {
        try (Result result = runner.run()) {
            TFloat32 tensor = (TFloat32) result.get(0);
            float[] values = new float[Math.toIntExact(tensor.shape().size())];
            tensor.asRawTensor().data().asFloats().read(values);
            return values;
        }
    }

    private static float[] gaussians(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble(), v = random.nextDouble();
            values[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        return values;
    }
}
