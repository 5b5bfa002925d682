package org.mafstream.model.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.graph.CrfNegativeLogLikelihood;
import org.mafstream.model.graph.Dropout;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.graph.MafTextGraph;
import org.mafstream.model.graph.WeightedGraph;
import org.mafstream.model.text.TokenBatch;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.weights.WeightSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * MAF's text graph (free sequence axis, optional LoRA adapters) with the CRF's negative
 * log-likelihood on top ({@link CrfNegativeLogLikelihood}), set up for training: one session run
 * gives a batch's loss and the gradients of the trainable weights ({@code addGradients}). The
 * loss is the original's: the mean over sentences of the NLL over all their subword positions.
 * The CRF's parameters are weights of the graph ({@link HeadParameters#START}, {@link
 * HeadParameters#END}, {@link HeadParameters#TRANSITIONS}). No image is read (zero regions, as a
 * text-only bundle). {@link #emissions} runs the same weights without dropout, for evaluation.
 */
public final class TextTrainingGraph implements AutoCloseable {
    private final WeightedGraph g = new WeightedGraph();
    private final MafShape shape;
    private final MafTextGraph.Inputs in;
    private final Operand<TFloat32> inferenceEmissions;
    private final CrfNegativeLogLikelihood crf;
    private final SessionWeights weights;
    private final Output<?>[] gradients;
    private final Placeholder<TInt64> seed;
    private final Session session;

    /** A batch: sentence i's real token ids and its gold tag per position (same lengths). */
    public record Batch(int[][] tokenIds, int[][] gold) {
        public int size() {
            return tokenIds.length;
        }
    }

    /** The batch's loss and the gradient of each trainable weight (graph layout). */
    public record Step(double loss, List<float[]> gradients) {}

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
     * @param weights every weight of the text graph, the CRF's included
     */
    public TextTrainingGraph(MafShape shape, LowRankAdapters adapters, float dropoutRate, WeightSource weights,
                             Predicate<String> trainable) throws IOException {
        this.shape = shape;
        Ops tf = g.tf();
        MafTextGraph maf = new MafTextGraph(g, shape, MafTextGraph.Length.DYNAMIC, adapters);
        in = maf.inputs();
        seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
        inferenceEmissions = maf.build(in).emissions();
        Operand<TFloat32> emissions = maf.build(in, MafTextGraph.Training.bertOnly(
                dropoutRate > 0 ? new Dropout(tf, dropoutRate, seed, in.inputIds()) : null)).emissions();
        int labels = shape.numLabels();
        crf = new CrfNegativeLogLikelihood(tf, emissions, tf.gather(tf.shape(in.inputIds()), tf.constant(1), tf.constant(0)),
                labels, MafShape.MAX_SEQ_LENGTH, g.weight(HeadParameters.START, labels), g.weight(HeadParameters.END, labels),
                g.weight(HeadParameters.TRANSITIONS, labels, labels));
        List<String> keys = g.keys().stream().filter(trainable).toList();
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no weight of the graph is trainable");
        }
        Output<?>[] variables = keys.stream().map(key -> g.variable(key).asOutput()).toArray(Output<?>[]::new);
        gradients = g.graph().addGradients("train", new Output<?>[] {crf.loss().asOutput()}, variables, null);
        session = new Session(g.graph());
        g.fill(session, weights, key -> { });
        this.weights = new SessionWeights(g, session, keys);
    }

    /** The trainable weights' keys, in the order of {@link Step#gradients()}. */
    public List<String> trainable() {
        return weights.trainable();
    }

    /** A weight's current value, in the graph's layout. */
    public float[] value(String key) {
        return values(List.of(key)).get(0);
    }

    /** Several weights' current values (graph layout), in one session run. */
    public List<float[]> values(List<String> keys) {
        return weights.values(keys);
    }

    /** The trainable weights' current values in the layout checkpoints store them in, in one session run. */
    public List<float[]> storedTrainableValues() {
        return weights.storedTrainableValues();
    }

    /** The shape the checkpoint stores {@code key} in. */
    public long[] storedShape(String key) {
        return weights.storedShape(key);
    }

    /** Overwrites weights with values in the layout checkpoints store them in, in one session run. */
    public void assignAllStored(Map<String, float[]> storedValues) {
        weights.assignAllStored(storedValues);
    }

    /** Overwrites a weight (graph layout). */
    public void assign(String key, float[] values) {
        g.assign(session, key, values);
    }

    /** Overwrites several weights (graph layout) in one session run. */
    public void assignAll(List<String> keys, List<float[]> values) {
        weights.assignAll(keys, values);
    }

    /** The batch's mean NLL (dropout masks, if any, of seed 0). */
    public double loss(Batch batch) {
        return loss(batch, 0);
    }

    /** The batch's mean NLL, dropout masks drawn from {@code dropoutSeed}. */
    public double loss(Batch batch, long dropoutSeed) {
        return run(batch, false, dropoutSeed).loss();
    }

    /** The batch's mean NLL and its gradients (dropout masks, if any, of seed 0). */
    public Step step(Batch batch) {
        return step(batch, 0);
    }

    /** The batch's mean NLL and its gradients, dropout masks drawn from {@code dropoutSeed} (e.g. the step number). */
    public Step step(Batch batch, long dropoutSeed) {
        return run(batch, true, dropoutSeed);
    }

    /** The emissions of each sentence's real positions, [n][labels], without dropout. */
    public float[][][] emissions(int[][] tokenIds) {
        int length = Arrays.stream(tokenIds).mapToInt(ids -> ids.length).max().orElseThrow();
        TokenBatch padded = TokenBatch.pad(tokenIds, length);
        try (Inputs inputs = new Inputs(padded, shape);
             Result result = inputs.feed(session.runner()).fetch(inferenceEmissions).run()) {
            float[] all = SessionWeights.floats((TFloat32) result.get(0));
            int labels = shape.numLabels();
            float[][][] sentences = new float[tokenIds.length][][];
            for (int i = 0; i < tokenIds.length; i++) {
                sentences[i] = new float[tokenIds[i].length][];
                for (int t = 0; t < tokenIds[i].length; t++) {
                    int from = (i * length + t) * labels;
                    sentences[i][t] = Arrays.copyOfRange(all, from, from + labels);
                }
            }
            return sentences;
        }
    }

    private Step run(Batch batch, boolean backward, long dropoutSeed) {
        int length = Arrays.stream(batch.tokenIds()).mapToInt(ids -> ids.length).max().orElseThrow();
        TokenBatch padded = TokenBatch.pad(batch.tokenIds(), length);
        try (Inputs inputs = new Inputs(padded, shape);
             TInt64 seedT = TInt64.tensorOf(Shape.of(2), DataBuffers.of(new long[] {dropoutSeed, 0}, true, false));
             CrfGold gold = CrfGold.of(batch.tokenIds(), batch.gold(), length, shape.numLabels())) {
            Session.Runner runner = gold.feed(inputs.feed(session.runner()).feed(seed, seedT), crf.gold()).fetch(crf.loss());
            if (backward) {
                for (Output<?> gradient : gradients) {
                    runner.fetch(gradient);
                }
            }
            try (Result result = runner.run()) {
                double loss = ((TFloat32) result.get(0)).getFloat();
                if (!backward) {
                    return new Step(loss, List.of());
                }
                List<float[]> values = new ArrayList<>(gradients.length);
                for (int w = 0; w < gradients.length; w++) {
                    values.add(SessionWeights.floats((TFloat32) result.get(w + 1)));
                }
                return new Step(loss, values);
            }
        }
    }

    /** The token tensors of a padded batch (segments 0, regions 0). */
    private final class Inputs implements AutoCloseable {
        private final TInt32 ids;
        private final TInt32 mask;
        private final TInt32 segments;
        private final TFloat32 regions;

        Inputs(TokenBatch batch, MafShape shape) {
            int b = batch.size();
            Shape tokens = Shape.of(b, batch.length());
            int channels = shape.resnet().outputChannels();
            ids = TInt32.tensorOf(tokens, DataBuffers.of(batch.ids(), true, false));
            mask = TInt32.tensorOf(tokens, DataBuffers.of(batch.mask(), true, false));
            segments = TInt32.tensorOf(tokens, DataBuffers.of(new int[b * batch.length()], true, false));
            regions = TFloat32.tensorOf(Shape.of(b, MafShape.REGIONS, channels),
                    DataBuffers.of(new float[b * MafShape.REGIONS * channels], true, false));
        }

        Session.Runner feed(Session.Runner runner) {
            return runner.feed(in.inputIds(), ids).feed(in.inputMask(), mask).feed(in.segmentIds(), segments)
                    .feed(in.regions(), regions);
        }

        @Override
        public void close() {
            ids.close();
            mask.close();
            segments.close();
            regions.close();
        }
    }

    @Override
    public void close() {
        session.close();
        g.close();
    }
}
