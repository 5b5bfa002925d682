package org.mafstream.model.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mafstream.model.bundle.CrfParameters;
import org.mafstream.model.decode.ViterbiDecoder;
import org.mafstream.model.scoring.SpanScorer;
import org.mafstream.model.scoring.SpanScores;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.weights.TensorFile;

/**
 * Fine-tunes a {@link TextTrainingGraph} in a {@link TrainingLoop}: length-sorted batches
 * ({@link LengthBatches}), AdamW, BERT's dropout with a mask seed per step, and after each epoch
 * the valid sets' span F1 under the original's rules; the best epoch is kept. Resumable as the
 * loop is.
 */
public final class FineTuner {
    public static final String PROGRESS = TrainingLoop.PROGRESS;
    static final String BEST = TrainingLoop.BEST;
    private static final int EVALUATION_BATCH = 32;

    private final FineTuneSettings settings;
    private final List<String> labels;
    private final Path checkpoints;
    private final PrintStream log;

    public FineTuner(FineTuneSettings settings, List<String> labels, Path checkpoints, PrintStream log) {
        this.settings = settings;
        this.labels = List.copyOf(labels);
        this.checkpoints = checkpoints;
        this.log = log;
    }

    /**
     * Trains from the graph's current weights, or from the checkpoint when {@code resume} is set
     * (and one exists), until every epoch has run.
     */
    public TrainingLoop.Outcome train(TextTrainingGraph graph, TokenSentences train, List<TokenSentences> valid, boolean resume)
            throws IOException {
        TrainingLoop loop = new TrainingLoop(
                new TrainingLoop.Settings(settings.describe(), settings.seed(), settings.epochs(), settings.checkpointEvery()),
                (names, parameters, total) -> new AdamW(settings.optimiser(total), names, parameters, FineTuneSettings::decays),
                checkpoints, log);
        return loop.train(new TextTask(graph, train, valid), resume);
    }

    /** The text graph's weights, length-sorted batches of the training set, the valid sets' span scores. */
    private final class TextTask implements TrainingLoop.Task {
        private final TextTrainingGraph graph;
        private final TokenSentences train;
        private final List<TokenSentences> valid;

        TextTask(TextTrainingGraph graph, TokenSentences train, List<TokenSentences> valid) {
            this.graph = graph;
            this.train = train;
            this.valid = valid;
        }

        @Override
        public List<String> trainable() {
            return graph.trainable();
        }

        @Override
        public List<float[]> values(List<String> keys) {
            return graph.values(keys);
        }

        @Override
        public void assignAll(List<String> keys, List<float[]> values) {
            graph.assignAll(keys, values);
        }

        @Override
        public List<int[]> batches(int epoch) {
            return LengthBatches.of(train, settings.batchSize(), settings.seed(), epoch);
        }

        @Override
        public TrainingLoop.Step step(int[] batch, long dropoutSeed) {
            TextTrainingGraph.Batch sentences = train.batch(batch);
            TextTrainingGraph.Step step = graph.step(sentences, dropoutSeed);
            return new TrainingLoop.Step(step.loss(), sentences.size(), step.gradients());
        }

        @Override
        public Map<String, SpanScores> evaluate() {
            Map<String, SpanScores> scores = new LinkedHashMap<>();
            for (TokenSentences set : valid) {
                scores.put(set.name(), FineTuner.evaluate(graph, set, labels));
            }
            return scores;
        }

        /** The trainable weights as they are now, in the layout checkpoints store them in. */
        @Override
        public TensorFile snapshot() {
            Map<String, TensorFile.Tensor> tensors = new LinkedHashMap<>();
            List<float[]> values = graph.storedTrainableValues();
            for (int i = 0; i < values.size(); i++) {
                String key = graph.trainable().get(i);
                tensors.put(key, new TensorFile.Tensor(graph.storedShape(key), values.get(i)));
            }
            return new TensorFile(tensors, null);
        }
    }

    /** Decodes {@code data} as the runtime does (float32 emissions, Viterbi) and scores it with the original's rules. */
    public static SpanScores evaluate(TextTrainingGraph graph, TokenSentences data, List<String> labels) {
        List<float[]> crf = graph.values(List.of(HeadParameters.START, HeadParameters.END, HeadParameters.TRANSITIONS));
        ViterbiDecoder viterbi = new ViterbiDecoder(CrfParameters.of(crf.get(0), crf.get(1), crf.get(2)));
        Integer[] order = new Integer[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(data::length));
        int[][] predicted = new int[data.size()][];
        for (int from = 0; from < order.length; from += EVALUATION_BATCH) {
            int[] batch = java.util.Arrays.stream(order, from, Math.min(order.length, from + EVALUATION_BATCH))
                    .mapToInt(Integer::intValue).toArray();
            float[][][] emissions = graph.emissions(data.batch(batch).tokenIds());
            for (int i = 0; i < batch.length; i++) {
                predicted[batch[i]] = viterbi.decode(emissions[i], emissions[i].length);
            }
        }
        SpanScorer scorer = new SpanScorer(labels);
        for (int i = 0; i < data.size(); i++) {
            scorer.add(data.gold().get(i), predicted[i]);
        }
        return scorer.scores();
    }

}
