package org.mafstream.model.graph;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.testing.AdapterWeights;
import org.mafstream.model.testing.Comparison;
import org.mafstream.model.weights.WeightSource;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The tiny text graph with low-rank adapters on BERT's projections computes what MAF's plain
 * graph computes over the weights with the adapters merged in (W + (alpha/r)·B·A), so a bundle
 * of merged weights keeps MAF's exact graph.
 */
class LoraMergeTest {
    private static final int LENGTH = 16;
    static final LowRankAdapters PLAN = LowRankAdapters.onBertProjections(4, 8f);

    @BeforeAll
    static void engine() {
        Engine.getEngine("TensorFlow");
    }

    static WeightSource weightsWithAdapters() {
        return AdapterWeights.random(11);
    }

    @Test
    void mergedWeightsInThePlainGraphEqualTheAdapterGraph() throws Exception {
        WeightSource weights = weightsWithAdapters();
        float[] adapted = emissions(PLAN, weights);
        float[] merged = emissions(LowRankAdapters.NONE, new LoraMergedWeights(weights, weights, PLAN));
        float[] plain = emissions(LowRankAdapters.NONE, weights);

        double mergeError = Comparison.maxRelativeError(merged, adapted);
        double adapterEffect = Comparison.maxRelativeError(plain, adapted);
        System.out.printf("LoRA: merged vs adapter graph %.2e; plain vs adapter graph %.2e%n", mergeError, adapterEffect);
        assertThat(mergeError).isLessThan(1e-5);
        // The adapters matter: without them the emissions are elsewhere.
        assertThat(adapterEffect).isGreaterThan(1e-2);
    }

    @Test
    void layersOutsideThePlanAreLeftAsTheyAre() throws Exception {
        WeightSource weights = weightsWithAdapters();
        LoraMergedWeights merged = new LoraMergedWeights(weights, weights, PLAN);
        for (String key : new String[] {"classifier.weight", "txt2img_attention.layer.0.attention.self.query.weight",
                "bert.encoder.layer.0.attention.self.query.bias"}) {
            long[] shape = key.endsWith("bias") ? new long[] {32} : key.startsWith("classifier") ? new long[] {13, 64} : new long[] {32, 32};
            assertThat(merged.read(key, shape)).as(key).containsExactly(weights.read(key, shape));
        }
        assertThat(merged.read("bert.encoder.layer.1.output.dense.weight", new long[] {32, 64}))
                .isNotEqualTo(weights.read("bert.encoder.layer.1.output.dense.weight", new long[] {32, 64}));
    }

    private static float[] emissions(LowRankAdapters adapters, WeightSource weights) throws Exception {
        MafShape shape = MafShape.TINY;
        try (WeightedGraph g = new WeightedGraph()) {
            MafTextGraph maf = new MafTextGraph(g, shape, MafTextGraph.Length.DYNAMIC, adapters);
            MafTextGraph.Inputs in = maf.inputs();
            Operand<TFloat32> emissions = maf.build(in).emissions();
            int b = 2;
            int[] ids = new int[b * LENGTH];
            int[] mask = new int[b * LENGTH];
            for (int i = 0; i < b * LENGTH; i++) {
                ids[i] = 1000 + 37 * i;
                mask[i] = i % LENGTH < LENGTH - 3 * (i / LENGTH) ? 1 : 0;
            }
            int channels = shape.resnet().outputChannels();
            try (Session session = new Session(g.graph());
                 TInt32 idT = TInt32.tensorOf(Shape.of(b, LENGTH), DataBuffers.of(ids, true, false));
                 TInt32 maskT = TInt32.tensorOf(Shape.of(b, LENGTH), DataBuffers.of(mask, true, false));
                 TInt32 segT = TInt32.tensorOf(Shape.of(b, LENGTH), DataBuffers.of(new int[b * LENGTH], true, false));
                 TFloat32 regT = TFloat32.tensorOf(Shape.of(b, MafShape.REGIONS, channels),
                         DataBuffers.of(new float[b * MafShape.REGIONS * channels], true, false))) {
                g.fill(session, weights, key -> { });
                try (Result result = session.runner().feed(in.inputIds(), idT).feed(in.inputMask(), maskT)
                        .feed(in.segmentIds(), segT).feed(in.regions(), regT).fetch(emissions).run()) {
                    TFloat32 out = (TFloat32) result.get(0);
                    float[] values = new float[Math.toIntExact(out.shape().size())];
                    out.asRawTensor().data().asFloats().read(values);
                    return values;
                }
            }
        }
    }
}
