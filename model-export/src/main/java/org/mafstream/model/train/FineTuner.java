package org.mafstream.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mafstream.cli.Durations;
import org.mafstream.model.bundle.CrfParameters;
import org.mafstream.model.decode.ViterbiDecoder;
import org.mafstream.model.scoring.SpanScorer;
import org.mafstream.model.scoring.SpanScores;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.weights.TensorFile;

/**
 * Fine-tunes a {@link TextTrainingGraph}: length-sorted batches ({@link LengthBatches}), AdamW,
 * BERT's dropout with a mask seed per step, and after each epoch the valid sets' span F1 under
 * the original's rules; the epoch with the best F1 over all valid sets together is kept.
 *
 * <p>Resumable: every {@code checkpointEvery} steps and after each epoch the checkpoint
 * directory gets the optimiser's whole state and a {@link FineTuneProgress}; the best epoch's
 * weights go to {@code best.json}/{@code best.bin}. Batches, dropout masks and updates depend
 * only on the seed and the step, so a resumed run ends with the weights an uninterrupted one
 * ends with.
 */
public final class FineTuner {
    public static final String PROGRESS = "progress.json";
    static final String BEST = "best";
    private static final int EVALUATION_BATCH = 32;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final FineTuneSettings settings;
    private final List<String> labels;
    private final Path checkpoints;
    private final PrintStream log;

    /** The kept epoch's trainable weights (stored layout) and every epoch's report. */
    public record Outcome(TensorFile best, FineTuneProgress progress) {
        public FineTuneProgress.EpochReport bestEpoch() {
            return progress.epochs().get(progress.bestEpoch() - 1);
        }
    }

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
    public Outcome train(TextTrainingGraph graph, TokenSentences train, List<TokenSentences> valid, boolean resume)
            throws IOException {
        List<String> names = graph.trainable();
        List<float[]> parameters = graph.values(names);
        int perEpoch = LengthBatches.perEpoch(train.size(), settings.batchSize());
        int total = perEpoch * settings.epochs();
        AdamW adam = new AdamW(settings.optimiser(total), names, parameters, FineTuneSettings::decays);
        FineTuneProgress progress = FineTuneProgress.start(settings.describe());
        Files.createDirectories(checkpoints);
        if (resume && Files.isRegularFile(checkpoints.resolve(PROGRESS))) {
            progress = restore(adam, graph, names, parameters);
        } else if (Files.exists(checkpoints.resolve(PROGRESS))) {
            throw new IOException(checkpoints + " holds a run's checkpoint: pass --resume to continue it, or use another directory");
        }
        log.printf(Locale.ROOT, "fine-tuning %d weights (%d values) on %d sentences: %s; %d steps (%d per epoch)%n",
                names.size(), parameters.stream().mapToLong(p -> p.length).sum(), train.size(), settings.describe(),
                total, perEpoch);

        while (progress.epoch() <= settings.epochs()) {
            int epoch = progress.epoch();
            List<int[]> batches = LengthBatches.of(train, settings.batchSize(), settings.seed(), epoch);
            RateMeter meter = new RateMeter();
            for (int b = progress.nextBatch(); b < batches.size(); b++) {
                long started = System.nanoTime();
                TextTrainingGraph.Batch batch = train.batch(batches.get(b));
                TextTrainingGraph.Step step = graph.step(batch, dropoutSeed(adam.steps() + 1));
                double norm = adam.step(step.gradients());
                graph.assignAll(names, parameters);
                double seconds = (System.nanoTime() - started) / 1e9;
                meter.add(batch.size(), seconds);
                progress = new FineTuneProgress(progress.settingsUsed(), epoch, b + 1, adam.steps(),
                        progress.epochLossSum() + step.loss() * batch.size(), progress.epochSentences() + batch.size(),
                        progress.trainingSeconds() + seconds, progress.optimiserFile(), progress.epochs(), progress.bestEpoch());
                if (adam.steps() <= 3 || adam.steps() % 10 == 0 || b + 1 == batches.size()) {
                    log.println(status(progress, step.loss(), norm, adam.learningRateAt(adam.steps()), meter, total, perEpoch));
                }
                if (adam.steps() % settings.checkpointEvery() == 0) {
                    progress = save(adam, progress);
                }
            }
            progress = finishEpoch(graph, valid, progress, meter);
            progress = save(adam, progress);
        }
        log.printf(Locale.ROOT, "done: %d steps in %s of training; keeping epoch %d (valid F1 %.2f)%n", progress.steps(),
                Durations.format(progress.trainingSeconds()), progress.bestEpoch(), 100 * progress.bestF1());
        return new Outcome(TensorFile.read(checkpoints, BEST), progress);
    }

    private FineTuneProgress finishEpoch(TextTrainingGraph graph, List<TokenSentences> valid, FineTuneProgress progress,
                                         RateMeter meter) throws IOException {
        Map<String, TrainingRecord.Figures> figures = new LinkedHashMap<>();
        long correct = 0, predicted = 0, gold = 0;
        long sentences = 0;
        long started = System.nanoTime();
        for (TokenSentences set : valid) {
            SpanScores scores = evaluate(graph, set, labels);
            figures.put(set.name(), TrainingRecord.Figures.of(scores.overall()));
            correct += scores.overall().correct();
            predicted += scores.overall().predicted();
            gold += scores.overall().gold();
            sentences += set.size();
        }
        double forwardRate = sentences / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        double f1 = new SpanScores.Counts(correct, predicted, gold).f1();
        FineTuneProgress.EpochReport report = new FineTuneProgress.EpochReport(progress.epoch(),
                progress.epochLossSum() / Math.max(1, progress.epochSentences()), figures, f1, meter.rate(), forwardRate,
                progress.trainingSeconds());
        List<FineTuneProgress.EpochReport> epochs = new ArrayList<>(progress.epochs());
        epochs.add(report);
        boolean improved = f1 > progress.bestF1();
        if (improved) {
            best(graph).write(checkpoints, BEST);
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d: loss %.4f", report.epoch(), report.meanLoss()));
        figures.forEach((name, f) -> line.append(String.format(Locale.ROOT, "  %s P %.2f R %.2f F1 %.2f", name,
                100 * f.precision(), 100 * f.recall(), 100 * f.f1())));
        line.append(String.format(Locale.ROOT, "  all valid F1 %.2f%s  (train %.1f sentences/s, forward %.1f sentences/s)",
                100 * f1, improved ? " *" : "", meter.rate(), forwardRate));
        log.println(line);
        return new FineTuneProgress(progress.settingsUsed(), progress.epoch() + 1, 0, progress.steps(), 0, 0,
                progress.trainingSeconds(), progress.optimiserFile(), epochs, improved ? report.epoch() : progress.bestEpoch());
    }

    /** The trainable weights as they are now, in the layout checkpoints store them in. */
    private static TensorFile best(TextTrainingGraph graph) {
        Map<String, TensorFile.Tensor> tensors = new LinkedHashMap<>();
        List<float[]> values = graph.storedTrainableValues();
        for (int i = 0; i < values.size(); i++) {
            String key = graph.trainable().get(i);
            tensors.put(key, new TensorFile.Tensor(graph.storedShape(key), values.get(i)));
        }
        return new TensorFile(tensors, null);
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

    private long dropoutSeed(int step) {
        return settings.seed() * 1_000_003L + step;
    }

    /** Writes the optimiser's state under a new name, then the progress naming it, then drops the old state. */
    private FineTuneProgress save(AdamW adam, FineTuneProgress progress) throws IOException {
        String file = String.format(Locale.ROOT, "optimiser-%07d-%d.bin", adam.steps(), progress.epochs().size());
        adam.save(checkpoints.resolve(file));
        FineTuneProgress saved = new FineTuneProgress(progress.settingsUsed(), progress.epoch(), progress.nextBatch(),
                progress.steps(), progress.epochLossSum(), progress.epochSentences(), progress.trainingSeconds(), file,
                progress.epochs(), progress.bestEpoch());
        Path partial = checkpoints.resolve(PROGRESS + ".partial");
        JSON.writeValue(partial.toFile(), saved);
        Files.move(partial, checkpoints.resolve(PROGRESS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (progress.optimiserFile() != null && !progress.optimiserFile().equals(file)) {
            Files.deleteIfExists(checkpoints.resolve(progress.optimiserFile()));
        }
        return saved;
    }

    private FineTuneProgress restore(AdamW adam, TextTrainingGraph graph, List<String> names, List<float[]> parameters)
            throws IOException {
        FineTuneProgress progress = JSON.readValue(checkpoints.resolve(PROGRESS).toFile(), FineTuneProgress.class);
        if (!progress.settingsUsed().equals(settings.describe())) {
            throw new IOException(checkpoints + " is a checkpoint of another run: " + progress.settingsUsed()
                    + "; this one is " + settings.describe());
        }
        adam.restore(checkpoints.resolve(progress.optimiserFile()));
        if (adam.steps() != progress.steps()) {
            throw new IOException(checkpoints + ": the optimiser state has " + adam.steps() + " steps, the progress "
                    + progress.steps());
        }
        graph.assignAll(names, parameters);
        log.printf(Locale.ROOT, "resuming from %s: epoch %d, batch %d, step %d, %d epochs done%n", checkpoints,
                progress.epoch(), progress.nextBatch(), progress.steps(), progress.epochs().size());
        return progress;
    }

    private String status(FineTuneProgress p, double loss, double norm, double lr, RateMeter meter, int total, int perEpoch) {
        double remaining = (total - p.steps()) * meter.secondsPerStep();
        return String.format(Locale.ROOT, "step %d/%d (epoch %d, batch %d/%d)  loss %.4f  epoch mean %.4f  |g| %.2f  lr %.2e"
                        + "  %.1f sentences/s  ETA %s (+ valid sets after each epoch)",
                p.steps(), total, p.epoch(), p.nextBatch(), perEpoch, loss, p.epochLossSum() / Math.max(1, p.epochSentences()),
                norm, lr, meter.rate(), Durations.format(remaining));
    }

    /** Sentences per second over this session's steps. */
    private static final class RateMeter {
        private long sentences;
        private int steps;
        private double seconds;

        void add(int batchSentences, double batchSeconds) {
            sentences += batchSentences;
            steps++;
            seconds += batchSeconds;
        }

        double rate() {
            return seconds == 0 ? 0 : sentences / seconds;
        }

        double secondsPerStep() {
            return steps == 0 ? 0 : seconds / steps;
        }
    }
}
