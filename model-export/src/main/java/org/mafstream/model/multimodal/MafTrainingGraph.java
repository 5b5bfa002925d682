package org.mafstream.model.multimodal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.graph.Dropout;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.graph.MafObjective;
import org.mafstream.model.graph.MafTextGraph;
import org.mafstream.model.graph.WeightedGraph;
import org.mafstream.model.text.TokenBatch;
import org.mafstream.model.train.CrfGold;
import org.mafstream.model.train.SessionWeights;
import org.mafstream.model.weights.WeightSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The whole MAF set up for training as the original trains it: the text graph at its fixed 128
 * positions with the image branch live, the batch's negatives ({@link Negatives}) swapped into the
 * cross-attention rows, and {@link MafObjective} on top. One session run gives the three loss
 * terms, the combined loss and its gradient with respect to every trainable weight. The image
 * features are inputs: the ResNet gets no gradient ({@link ImageFeatureGraph} computes them).
 * {@link #predict} runs the same weights as inference does (no dropout, no swap).
 */
public final class MafTrainingGraph implements AutoCloseable {
    private static final int L = MafShape.MAX_SEQ_LENGTH;

    /** The loss terms whose gradients can be asked for separately ({@link #termGradients}). */
    public enum Term { CRF, MATCHING, ALIGNMENT }

    /**
     * A batch of B posts.
     *
     * @param tokenIds post i's real token ids, [CLS] … [SEP] (at most 128)
     * @param gold post i's gold tag per token
     * @param regions [B, 49, C] layer4 regions, row-major
     * @param pooledImages [B, C] the images' global average pools
     */
    public record Batch(int[][] tokenIds, int[][] gold, float[] regions, float[] pooledImages, Negatives negatives) {
        public int size() {
            return tokenIds.length;
        }
    }

    /** The objective's terms (the original's weighting in {@code total}). */
    public record Losses(double crf, double matching, double alignment, double total) {}

    /** A batch's losses and the gradient of the total with respect to each trainable weight (graph layout). */
    public record Step(Losses losses, List<float[]> gradients) {}

    /** What a forward pass computes besides the losses, for parity checks and evaluation. */
    public record Forward(Losses losses, float[] sequenceOutput, float[] pooledOutput, float[] crsLogits, float[] gate,
                          float[] emissions, double alignmentTextToImage, double alignmentImageToText) {}

    /** Inference on a batch: emissions [B, 128, labels] and the retain score P per post. */
    public record Prediction(float[] emissions, float[] retainScores) {}

    private final WeightedGraph g = new WeightedGraph();
    private final MafShape shape;
    private final MafTextGraph.Inputs in;
    private final Placeholder<TInt32> crossOrder;
    private final Placeholder<TInt64> seed;
    private final MafTextGraph.Outputs trained;
    private final MafTextGraph.Outputs inference;
    private final MafObjective objective;
    private final Output<?>[] gradients;
    private final Map<Term, Output<?>[]> termGradients = new EnumMap<>(Term.class);
    private final Session session;
    private final SessionWeights weights;

    /**
     * @param dropoutRate the original's dropout (0.1 in BERT, on S and in the cross attention), drawn from
     *     each step's seed; 0: none
     * @param weights every weight of the MAF model (the {@code pytorch_model.bin} keys)
     * @param trainable which weights get gradients
     * @param withTermGradients also build each term's own gradients (parity checks), not only the total's
     */
    public MafTrainingGraph(MafShape shape, MafObjective.Weights objectiveWeights, LowRankAdapters adapters, float dropoutRate,
                            WeightSource weights, Predicate<String> trainable, boolean withTermGradients) throws IOException {
        this.shape = shape;
        Ops tf = g.tf();
        MafTextGraph maf = new MafTextGraph(g, shape, MafTextGraph.Length.FIXED, adapters);
        in = maf.inputs();
        crossOrder = tf.withName("cross_order").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
        Dropout dropout = dropoutRate > 0 ? new Dropout(tf, dropoutRate, seed, in.inputIds()) : null;
        trained = maf.build(in, new MafTextGraph.Training(dropout, dropout, crossOrder));
        inference = maf.build(in);
        objective = new MafObjective(g, shape, trained, objectiveWeights);

        List<String> keys = g.keys().stream().filter(trainable).toList();
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no weight of the graph is trainable");
        }
        Output<?>[] variables = keys.stream().map(key -> g.variable(key).asOutput()).toArray(Output<?>[]::new);
        gradients = g.graph().addGradients("total", new Output<?>[] {objective.terms().total().asOutput()}, variables, null);
        if (withTermGradients) {
            // addGradients refuses a weight outside a term's graph; 0·Σw puts every weight in it
            // with an exact zero gradient, as the original's autograd leaves such a term's .grad.
            Operand<TFloat32> zero = tf.constant(0f);
            for (Output<?> variable : variables) {
                zero = tf.math.add(zero, tf.math.mul(tf.constant(0f),
                        tf.sum(variable.expect(TFloat32.class), tf.range(tf.constant(0), tf.rank(variable), tf.constant(1)))));
            }
            MafObjective.Terms terms = objective.terms();
            Map<Term, Operand<TFloat32>> values = Map.of(Term.CRF, terms.crf(), Term.MATCHING, terms.matching(),
                    Term.ALIGNMENT, terms.alignment());
            for (Term term : Term.values()) {
                Operand<TFloat32> reachingAll = tf.math.add(values.get(term), zero);
                termGradients.put(term, g.graph().addGradients(term.name().toLowerCase(java.util.Locale.ROOT),
                        new Output<?>[] {reachingAll.asOutput()}, variables, null));
            }
        }
        session = new Session(g.graph());
        g.fill(session, weights, key -> { });
        this.weights = new SessionWeights(g, session, keys);
    }

    /** The graph's weights: the trainable ones' keys, values and assignment. */
    public SessionWeights weights() {
        return weights;
    }

    /** The batch's losses and the total's gradients, dropout masks drawn from {@code dropoutSeed}. */
    public Step step(Batch batch, long dropoutSeed) {
        try (Feeds feeds = new Feeds(batch, dropoutSeed); Result result = fetchAll(feeds, gradients)) {
            List<float[]> values = new ArrayList<>(gradients.length);
            for (int w = 0; w < gradients.length; w++) {
                values.add(SessionWeights.floats((TFloat32) result.get(4 + w)));
            }
            return new Step(losses(result), values);
        }
    }

    /** One term's gradients (unweighted), in the order of the trainable weights. */
    public List<float[]> termGradients(Batch batch, Term term, long dropoutSeed) {
        Output<?>[] outputs = termGradients.get(term);
        if (outputs == null) {
            throw new IllegalStateException("this graph was built without the terms' own gradients");
        }
        try (Feeds feeds = new Feeds(batch, dropoutSeed); Result result = fetchAll(feeds, outputs)) {
            List<float[]> values = new ArrayList<>(outputs.length);
            for (int w = 0; w < outputs.length; w++) {
                values.add(SessionWeights.floats((TFloat32) result.get(4 + w)));
            }
            return values;
        }
    }

    /** The forward pass of training (swap, dropout of {@code dropoutSeed}) with its intermediates. */
    public Forward forward(Batch batch, long dropoutSeed) {
        MafObjective.Terms terms = objective.terms();
        try (Feeds feeds = new Feeds(batch, dropoutSeed);
             Result result = fetchAll(feeds, trained.sequenceOutput(), terms.pooledOutput(), trained.crsLogits(),
                     trained.gate(), trained.emissions(), terms.alignmentParts().textToImage(),
                     terms.alignmentParts().imageToText())) {
            return new Forward(losses(result), floats(result, 4), floats(result, 5), floats(result, 6), floats(result, 7),
                    floats(result, 8), floats(result, 9)[0], floats(result, 10)[0]);
        }
    }

    /** Inference: emissions and retain scores of posts (token ids at most 128, regions [B, 49, C]). */
    public Prediction predict(int[][] tokenIds, float[] regions) {
        try (TokenTensors tokens = new TokenTensors(tokenIds);
             TFloat32 regionsT = regions(regions, tokenIds.length);
             Result result = tokens.feed(session.runner()).feed(in.regions(), regionsT)
                     .fetch(inference.emissions()).fetch(inference.retainScore()).run()) {
            return new Prediction(floats(result, 0), floats(result, 1));
        }
    }

    private Result fetchAll(Feeds feeds, Operand<?>... extra) {
        Output<?>[] outputs = new Output<?>[extra.length];
        for (int i = 0; i < extra.length; i++) {
            outputs[i] = extra[i].asOutput();
        }
        return fetchAll(feeds, outputs);
    }

    /** Runs the losses (results 0..3: CRF, CM, CA, total), then {@code extra}. */
    private Result fetchAll(Feeds feeds, Output<?>[] extra) {
        MafObjective.Terms terms = objective.terms();
        Session.Runner runner = feeds.feed(session.runner())
                .fetch(terms.crf()).fetch(terms.matching()).fetch(terms.alignment()).fetch(terms.total());
        for (Output<?> output : extra) {
            runner.fetch(output);
        }
        return runner.run();
    }

    private static Losses losses(Result result) {
        return new Losses(scalar(result, 0), scalar(result, 1), scalar(result, 2), scalar(result, 3));
    }

    private static double scalar(Result result, int index) {
        return ((TFloat32) result.get(index)).getFloat();
    }

    private static float[] floats(Result result, int index) {
        return SessionWeights.floats((TFloat32) result.get(index));
    }

    private TFloat32 regions(float[] values, int batch) {
        int channels = shape.resnet().outputChannels();
        requireLength("regions", values, (long) batch * MafShape.REGIONS * channels);
        return TFloat32.tensorOf(Shape.of(batch, MafShape.REGIONS, channels), DataBuffers.of(values, true, false));
    }

    private static void requireLength(String what, float[] values, long expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(what + ": " + values.length + " values, expected " + expected);
        }
    }

    /** Token ids padded to 128, their mask, segments 0. */
    private final class TokenTensors implements AutoCloseable {
        private final List<Tensor> tensors;

        TokenTensors(int[][] tokenIds) {
            TokenBatch padded = TokenBatch.pad(tokenIds, L);
            Shape tokens = Shape.of(tokenIds.length, L);
            tensors = List.of(TInt32.tensorOf(tokens, DataBuffers.of(padded.ids(), true, false)),
                    TInt32.tensorOf(tokens, DataBuffers.of(padded.mask(), true, false)),
                    TInt32.tensorOf(tokens, DataBuffers.of(new int[tokenIds.length * L], true, false)));
        }

        Session.Runner feed(Session.Runner runner) {
            return runner.feed(in.inputIds(), tensors.get(0)).feed(in.inputMask(), tensors.get(1))
                    .feed(in.segmentIds(), tensors.get(2));
        }

        @Override
        public void close() {
            tensors.forEach(Tensor::close);
        }
    }

    /** Everything a training run of one batch feeds. */
    private final class Feeds implements AutoCloseable {
        private final TokenTensors tokens;
        private final CrfGold gold;
        private final List<Tensor> tensors = new ArrayList<>();

        Feeds(Batch batch, long dropoutSeed) {
            int b = batch.size();
            if (batch.gold().length != b || batch.negatives().size() != b) {
                throw new IllegalArgumentException("a batch of " + b + " posts has " + batch.gold().length + " gold paths and "
                        + batch.negatives().size() + " negatives' rows");
            }
            requireLength("pooled images", batch.pooledImages(), (long) b * shape.resnet().outputChannels());
            tokens = new TokenTensors(batch.tokenIds());
            gold = CrfGold.of(batch.tokenIds(), batch.gold(), L, shape.numLabels());
            float[] targets = new float[2 * b];
            for (int i = 0; i < b; i++) {
                targets[2 * i + batch.negatives().matched()[i]] = 1;
            }
            tensors.add(regions(batch.regions(), b));
            tensors.add(TFloat32.tensorOf(Shape.of(b, shape.resnet().outputChannels()),
                    DataBuffers.of(batch.pooledImages(), true, false)));
            tensors.add(TFloat32.tensorOf(Shape.of(b, 2), DataBuffers.of(targets, true, false)));
            tensors.add(TInt32.tensorOf(Shape.of(b), DataBuffers.of(batch.negatives().crossOrder(), true, false)));
            tensors.add(TInt64.tensorOf(Shape.of(2), DataBuffers.of(new long[] {dropoutSeed, 0}, true, false)));
        }

        Session.Runner feed(Session.Runner runner) {
            MafObjective.Inputs objectiveInputs = objective.inputs();
            return gold.feed(tokens.feed(runner), objective.gold())
                    .feed(in.regions(), tensors.get(0)).feed(objectiveInputs.pooledImage(), tensors.get(1))
                    .feed(objectiveInputs.matchingTargets(), tensors.get(2)).feed(crossOrder, tensors.get(3))
                    .feed(seed, tensors.get(4));
        }

        @Override
        public void close() {
            tokens.close();
            gold.close();
            tensors.forEach(Tensor::close);
        }
    }

    @Override
    public void close() {
        session.close();
        g.close();
    }
}
