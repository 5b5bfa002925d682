package org.mafstream.model.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.graph.Dropout;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.graph.MafTextGraph;
import org.mafstream.model.graph.WeightSource;
import org.mafstream.model.graph.WeightedGraph;
import org.mafstream.model.text.TokenBatch;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * MAF's text graph (free sequence axis, optional LoRA adapters) set up for training: a batch runs
 * forward to its emissions, the CRF's negative log-likelihood and its gradient with respect to
 * the emissions are computed in Java ({@link LinearChainCrf}, double precision), and that
 * gradient seeds TensorFlow's backward pass ({@code addGradients} with upstream gradients) to
 * the trainable weights. The loss is the original's: the mean over sentences of the NLL over all
 * their subword positions. No image is read (zero regions, as a text-only bundle).
 */
public final class TextTrainingGraph implements AutoCloseable {
    private final WeightedGraph g = new WeightedGraph();
    private final MafShape shape;
    private final MafTextGraph.Inputs in;
    private final Operand<TFloat32> emissions;
    private final Placeholder<TFloat32> emissionGradient;
    private final List<String> trainable;
    private final Output<?>[] gradients;
    private final Placeholder<TInt64> seed;
    private final Session session;

    /** A batch: sentence i's real token ids and its gold tag per position (same lengths). */
    public record Batch(int[][] tokenIds, int[][] gold) {}

    /** The batch's loss and the gradient of each trainable weight (graph layout), plus the CRF's. */
    public record Step(double loss, List<float[]> gradients, LinearChainCrf crfGradient) {}

    /**
     * @param trainable which weights (by key) get gradients; adapters' keys end in
     *     {@link LowRankAdapters#A_SUFFIX} / {@link LowRankAdapters#B_SUFFIX}
     */
    public TextTrainingGraph(MafShape shape, LowRankAdapters adapters, WeightSource weights, Predicate<String> trainable)
            throws IOException {
        this(shape, adapters, 0f, weights, trainable);
    }

    /**
     * @param dropoutRate BERT's dropout while training (0.1 for fine-tuning; 0: none); its masks
     *     are drawn from the seed each {@link #step} is given
     */
    public TextTrainingGraph(MafShape shape, LowRankAdapters adapters, float dropoutRate, WeightSource weights,
                             Predicate<String> trainable) throws IOException {
        this.shape = shape;
        MafTextGraph maf = new MafTextGraph(g, shape, MafTextGraph.Length.DYNAMIC, adapters);
        in = maf.inputs();
        seed = g.tf().placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
        emissions = maf.build(in, dropoutRate > 0 ? new Dropout(g.tf(), dropoutRate, seed, in.inputIds()) : null).emissions();
        emissionGradient = g.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, shape.numLabels())));
        this.trainable = g.keys().stream().filter(trainable).toList();
        if (this.trainable.isEmpty()) {
            throw new IllegalArgumentException("no weight of the graph is trainable");
        }
        Output<?>[] variables = this.trainable.stream().map(key -> g.variable(key).asOutput()).toArray(Output<?>[]::new);
        gradients = g.graph().addGradients("train", new Output<?>[] {emissions.asOutput()}, variables,
                new Output<?>[] {emissionGradient.asOutput()});
        session = new Session(g.graph());
        g.fill(session, weights, key -> { });
    }

    /** The trainable weights' keys, in the order of {@link Step#gradients()}. */
    public List<String> trainable() {
        return trainable;
    }

    /** A weight's current value, in the graph's layout. */
    public float[] value(String key) {
        try (Result result = session.runner().fetch(g.variable(key)).run()) {
            return floats((TFloat32) result.get(0));
        }
    }

    /** Overwrites a weight (graph layout). */
    public void assign(String key, float[] values) {
        g.assign(session, key, values);
    }

    /** The batch's mean NLL under {@code crf} (dropout masks, if any, of seed 0). */
    public double loss(Batch batch, LinearChainCrf crf) {
        return loss(batch, crf, 0);
    }

    /** The batch's mean NLL under {@code crf}, dropout masks drawn from {@code dropoutSeed}. */
    public double loss(Batch batch, LinearChainCrf crf, long dropoutSeed) {
        return run(batch, crf, false, dropoutSeed).loss();
    }

    /** The batch's mean NLL and its gradients (dropout masks, if any, of seed 0). */
    public Step step(Batch batch, LinearChainCrf crf) {
        return step(batch, crf, 0);
    }

    /** The batch's mean NLL and its gradients, dropout masks drawn from {@code dropoutSeed} (e.g. the step number). */
    public Step step(Batch batch, LinearChainCrf crf, long dropoutSeed) {
        return run(batch, crf, true, dropoutSeed);
    }

    private Step run(Batch batch, LinearChainCrf crf, boolean backward, long dropoutSeed) {
        int b = batch.tokenIds().length;
        int length = Arrays.stream(batch.tokenIds()).mapToInt(ids -> ids.length).max().orElseThrow();
        int labels = shape.numLabels();
        TokenBatch padded = TokenBatch.pad(batch.tokenIds(), length);
        int channels = shape.resnet().outputChannels();
        Shape tokens = Shape.of(b, length);
        try (TInt32 idT = TInt32.tensorOf(tokens, DataBuffers.of(padded.ids(), true, false));
             TInt32 maskT = TInt32.tensorOf(tokens, DataBuffers.of(padded.mask(), true, false));
             TInt32 segT = TInt32.tensorOf(tokens, DataBuffers.of(new int[b * length], true, false));
             TFloat32 regT = TFloat32.tensorOf(Shape.of(b, MafShape.REGIONS, channels),
                     DataBuffers.of(new float[b * MafShape.REGIONS * channels], true, false));
             TInt64 seedT = TInt64.tensorOf(Shape.of(2), DataBuffers.of(new long[] {dropoutSeed, 0}, true, false))) {
            float[] scores;
            try (Result result = feed(session.runner(), idT, maskT, segT, regT).feed(seed, seedT).fetch(emissions).run()) {
                scores = floats((TFloat32) result.get(0));
            }
            LinearChainCrf crfGradient = new LinearChainCrf(crf.numTags());
            float[] seedGradient = new float[b * length * labels];
            double loss = 0;
            for (int i = 0; i < b; i++) {
                int n = batch.tokenIds()[i].length;
                double[][] sentence = new double[n][labels];
                for (int t = 0; t < n; t++) {
                    for (int j = 0; j < labels; j++) {
                        sentence[t][j] = scores[(i * length + t) * labels + j];
                    }
                }
                double[][] dSentence = new double[n][labels];
                loss += crf.negativeLogLikelihood(sentence, batch.gold()[i], n, dSentence, crfGradient);
                for (int t = 0; t < n; t++) {
                    for (int j = 0; j < labels; j++) {
                        seedGradient[(i * length + t) * labels + j] = (float) (dSentence[t][j] / b);
                    }
                }
            }
            scale(crfGradient, 1.0 / b);
            if (!backward) {
                return new Step(loss / b, List.of(), crfGradient);
            }
            try (TFloat32 upstream = TFloat32.tensorOf(Shape.of(b, length, labels), DataBuffers.of(seedGradient, true, false))) {
                Session.Runner runner = feed(session.runner(), idT, maskT, segT, regT).feed(seed, seedT)
                        .feed(emissionGradient, upstream);
                for (Output<?> gradient : gradients) {
                    runner.fetch(gradient);
                }
                List<float[]> values = new ArrayList<>(gradients.length);
                try (Result result = runner.run()) {
                    for (int w = 0; w < gradients.length; w++) {
                        values.add(floats((TFloat32) result.get(w)));
                    }
                }
                return new Step(loss / b, values, crfGradient);
            }
        }
    }

    private Session.Runner feed(Session.Runner runner, TInt32 ids, TInt32 mask, TInt32 segments, TFloat32 regions) {
        return runner.feed(in.inputIds(), ids).feed(in.inputMask(), mask).feed(in.segmentIds(), segments)
                .feed(in.regions(), regions);
    }

    private static void scale(LinearChainCrf crf, double factor) {
        for (double[] block : crf.blocks()) {
            for (int i = 0; i < block.length; i++) {
                block[i] *= factor;
            }
        }
    }

    private static float[] floats(TFloat32 tensor) {
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        tensor.asRawTensor().data().asFloats().read(values);
        return values;
    }

    @Override
    public void close() {
        session.close();
        g.close();
    }
}
