package org.mafstream.model.multimodal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.bundle.CrfParameters;
import org.mafstream.model.decode.ViterbiDecoder;
import org.mafstream.model.scoring.SpanScorer;
import org.mafstream.model.scoring.SpanScores;
import org.mafstream.model.train.SessionWeights;
import org.mafstream.model.train.TrainingLoop;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.weights.TensorFile;

/**
 * The whole MAF as a {@link TrainingLoop.Task}, the original's way (run_gate_cl.py:757-828):
 * batches drawn in a random order each epoch (the original's RandomSampler; the last one may be
 * smaller), the frozen encoder's features of each batch's images, the negatives of the batch's
 * last {@code negative_rate} posts, and the original objective's gradients.
 *
 * <p>Image features: {@link ImageStatistics#BATCH} (the original's train-mode BatchNorm) computes
 * them per batch, since they depend on the batch, and lets the running statistics drift;
 * {@link ImageStatistics#RUNNING} (eval mode) computes each image's once and caches them. The
 * valid sets are always scored as inference runs: eval mode, with the statistics as they stand.
 */
public final class MafTraining implements TrainingLoop.Task {
    private static final int EVALUATION_BATCH = 16;
    private static final String BATCHES_TRACKED = "numBatchesTracked";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which statistics the encoder's BatchNorm uses while MAF trains. */
    public enum ImageStatistics {
        /** Train mode, as the original: each batch's own; the running statistics drift (saved with the encoder). */
        BATCH,
        /** Eval mode: the encoder's running statistics, unchanged; features cached per image. */
        RUNNING
    }

    /** Decoded, preprocessed images: [B, 224, 224, 3] for a batch of image ids. */
    public interface Pixels {
        float[] of(List<String> imageIds) throws IOException;
    }

    /**
     * @param negativeRate the original's {@code negative_rate} (16), 0 for none
     */
    public record Settings(long seed, int batchSize, int negativeRate, ImageStatistics statistics) {
        public Settings {
            if (batchSize < 1 || negativeRate < 0) {
                throw new IllegalArgumentException("invalid MAF training settings: " + this);
            }
        }
    }

    private final MafTrainingGraph graph;
    private final ImageFeatureGraph encoder;
    private final MnerPosts train;
    private final List<MnerPosts> valid;
    private final Pixels pixels;
    private final Settings settings;
    private final List<String> labels;
    private final int channels;
    private final Map<String, ImageFeatureGraph.Features> cached = new HashMap<>();

    public MafTraining(MafTrainingGraph graph, ImageFeatureGraph encoder, MafShape shape, MnerPosts train, List<MnerPosts> valid,
                       Pixels pixels, Settings settings, List<String> labels) {
        this.graph = graph;
        this.encoder = encoder;
        this.train = train;
        this.valid = List.copyOf(valid);
        this.pixels = pixels;
        this.settings = settings;
        this.labels = List.copyOf(labels);
        this.channels = shape.resnet().outputChannels();
    }

    @Override
    public List<String> trainable() {
        return graph.weights().trainable();
    }

    @Override
    public List<float[]> values(List<String> keys) {
        return graph.weights().values(keys);
    }

    @Override
    public void assignAll(List<String> keys, List<float[]> values) {
        graph.weights().assignAll(keys, values);
    }

    /** A random permutation per epoch (seed and epoch fix it), cut into batches in order. */
    @Override
    public List<int[]> batches(int epoch) {
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(settings.seed() * 7919 + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += settings.batchSize()) {
            batches.add(Arrays.copyOfRange(order, from, Math.min(order.length, from + settings.batchSize())));
        }
        return batches;
    }

    @Override
    public TrainingLoop.Step step(int[] batch, long dropoutSeed) throws IOException {
        List<String> ids = train.imageIds(batch);
        ImageFeatureGraph.Features features = settings.statistics() == ImageStatistics.BATCH
                ? encoder.trainFeatures(pixels.of(ids), ids.size()) : cachedFeatures(ids);
        org.mafstream.model.train.TextTrainingGraph.Batch text = train.batch(batch);
        MafTrainingGraph.Step step = graph.step(new MafTrainingGraph.Batch(text.tokenIds(), text.gold(), features.regions(),
                features.pooled(), Negatives.of(batch.length, settings.negativeRate())), dropoutSeed);
        return new TrainingLoop.Step(step.losses().total(), batch.length, step.gradients());
    }

    /** Eval-mode features, each image's computed once. */
    private ImageFeatureGraph.Features cachedFeatures(List<String> ids) throws IOException {
        List<String> missing = ids.stream().distinct().filter(id -> !cached.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            ImageFeatureGraph.Features computed = encoder.evalFeatures(pixels.of(missing), missing.size());
            for (int i = 0; i < missing.size(); i++) {
                cached.put(missing.get(i), slice(computed, i, i + 1));
            }
        }
        float[] regions = new float[ids.size() * MafShape.REGIONS * channels];
        float[] pooled = new float[ids.size() * channels];
        for (int i = 0; i < ids.size(); i++) {
            ImageFeatureGraph.Features one = cached.get(ids.get(i));
            System.arraycopy(one.regions(), 0, regions, i * one.regions().length, one.regions().length);
            System.arraycopy(one.pooled(), 0, pooled, i * channels, channels);
        }
        return new ImageFeatureGraph.Features(regions, pooled);
    }

    private ImageFeatureGraph.Features slice(ImageFeatureGraph.Features all, int from, int to) {
        int region = MafShape.REGIONS * channels;
        return new ImageFeatureGraph.Features(Arrays.copyOfRange(all.regions(), from * region, to * region),
                Arrays.copyOfRange(all.pooled(), from * channels, to * channels));
    }

    /** Each valid set decoded as inference does (eval-mode features, no swap, Viterbi) and scored with the original's rules. */
    @Override
    public Map<String, SpanScores> evaluate() throws IOException {
        List<float[]> crf = graph.weights().values(List.of(HeadParameters.START, HeadParameters.END, HeadParameters.TRANSITIONS));
        ViterbiDecoder viterbi = new ViterbiDecoder(CrfParameters.of(crf.get(0), crf.get(1), crf.get(2)));
        Map<String, SpanScores> scores = new LinkedHashMap<>();
        for (MnerPosts set : valid) {
            SpanScorer scorer = new SpanScorer(labels);
            for (int from = 0; from < set.size(); from += EVALUATION_BATCH) {
                int to = Math.min(set.size(), from + EVALUATION_BATCH);
                int[] batch = java.util.stream.IntStream.range(from, to).toArray();
                List<String> ids = set.imageIds().subList(from, to);
                ImageFeatureGraph.Features features = encoder.evalFeatures(pixels.of(ids), ids.size());
                org.mafstream.model.train.TextTrainingGraph.Batch text = set.batch(batch);
                float[] emissions = graph.predict(text.tokenIds(), features.regions()).emissions();
                for (int i = 0; i < batch.length; i++) {
                    int n = text.tokenIds()[i].length;
                    float[][] rows = new float[n][];
                    for (int t = 0; t < n; t++) {
                        int at = (i * MafShape.MAX_SEQ_LENGTH + t) * labels.size();
                        rows[t] = Arrays.copyOfRange(emissions, at, at + labels.size());
                    }
                    scorer.add(set.text().gold().get(from + i), viterbi.decode(rows, n));
                }
            }
            scores.put(set.name(), scorer.scores());
        }
        return scores;
    }

    /** The trainable weights (stored layout), with the encoder's running statistics and its batch count. */
    @Override
    public TensorFile snapshot() {
        SessionWeights weights = graph.weights();
        Map<String, TensorFile.Tensor> tensors = new LinkedHashMap<>();
        List<float[]> values = weights.storedTrainableValues();
        for (int i = 0; i < values.size(); i++) {
            String key = weights.trainable().get(i);
            tensors.put(key, new TensorFile.Tensor(weights.storedShape(key), values.get(i)));
        }
        TensorFile encoderState = encoderState();
        tensors.putAll(encoderState.tensors());
        return new TensorFile(tensors, encoderState.metadata());
    }

    private TensorFile encoderState() {
        Map<String, TensorFile.Tensor> tensors = new LinkedHashMap<>();
        encoder.runningStatistics().forEach((key, values) -> tensors.put(key, new TensorFile.Tensor(new long[] {values.length}, values)));
        ObjectNode record = JSON.createObjectNode().put(BATCHES_TRACKED, encoder.batchesTracked());
        return new TensorFile(tensors, record);
    }

    /** The encoder's running statistics drift every step: they are saved with the optimiser's state. */
    @Override
    public void saveState(Path file) throws IOException {
        encoderState().write(file.getParent(), stem(file));
    }

    @Override
    public void restoreState(Path file) throws IOException {
        TensorFile state = TensorFile.read(file.getParent(), stem(file));
        Map<String, float[]> statistics = new LinkedHashMap<>();
        state.tensors().forEach((key, tensor) -> statistics.put(key, tensor.values()));
        encoder.restore(statistics, state.metadata().get(BATCHES_TRACKED).asLong());
        cached.clear();
    }

    private static String stem(Path file) {
        return file.getFileName().toString();
    }

    /** The batches tracked by the encoder's BatchNorm, as a snapshot's record holds it. */
    public static long batchesTracked(TensorFile snapshot) {
        return snapshot.metadata().get(BATCHES_TRACKED).asLong();
    }
}
