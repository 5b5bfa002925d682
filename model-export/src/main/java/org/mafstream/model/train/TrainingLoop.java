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
import org.mafstream.model.scoring.SpanScores;
import org.mafstream.model.weights.TensorFile;

/**
 * The epochs of a training run, whatever trains ({@link Task}): the task's batches, a dropout seed
 * per step, the optimiser's update, and after each epoch the valid sets' span F1 under the
 * original's rules; the epoch with the best F1 over all valid sets together is kept.
 *
 * <p>Resumable: every {@code checkpointEvery} steps and after each epoch the checkpoint
 * directory gets the optimiser's whole state, the task's own state (e.g. an encoder's running
 * statistics) and a {@link FineTuneProgress}; the best epoch's weights go to
 * {@code best.json}/{@code best.bin}. Batches, dropout masks and updates depend only on the seed
 * and the step, so a resumed run ends with the weights an uninterrupted one ends with.
 */
public final class TrainingLoop {
    public static final String PROGRESS = "progress.json";
    public static final String BEST = "best";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What trains: its weights, its batches, one step, and how it scores. */
    public interface Task {
        /** The trainable weights' keys, in the order {@link #step} gives their gradients. */
        List<String> trainable();

        /** The weights' current values (graph layout). */
        List<float[]> values(List<String> keys);

        /** Overwrites the weights (graph layout). */
        void assignAll(List<String> keys, List<float[]> values);

        /** The batches of epoch {@code epoch} (1-based): example indices, deterministic in the run's seed. */
        List<int[]> batches(int epoch);

        /** One batch's mean loss and gradients. */
        Step step(int[] batch, long dropoutSeed) throws IOException;

        /** The valid sets' scores with the weights as they are, by set name (in a stable order). */
        Map<String, SpanScores> evaluate() throws IOException;

        /** The weights an epoch keeps when it is the best so far (stored layout). */
        TensorFile snapshot() throws IOException;

        /** Writes the task's state beside the optimiser's (e.g. an encoder's running statistics); most tasks have none. */
        default void saveState(Path file) throws IOException {}

        /** Loads what {@link #saveState} wrote. */
        default void restoreState(Path file) throws IOException {}
    }

    /** A step's mean loss over its batch and the gradients, in {@link Task#trainable()} order. */
    public record Step(double loss, int sentences, List<float[]> gradients) {}

    /**
     * @param describe the run's settings in words: a checkpoint resumes only under the same
     * @param checkpointEvery steps between checkpoints (one is also written after each epoch)
     */
    public record Settings(String describe, long seed, int epochs, int checkpointEvery) {
        public Settings {
            if (epochs < 1 || checkpointEvery < 1) {
                throw new IllegalArgumentException("invalid training settings: " + describe);
            }
        }
    }

    /** Makes the optimiser of a run, over the task's parameter blocks, for {@code totalSteps} steps. */
    public interface OptimiserFactory {
        Optimiser create(List<String> names, List<float[]> parameters, int totalSteps);
    }

    /** The kept epoch's weights and every epoch's report. */
    public record Outcome(TensorFile best, FineTuneProgress progress) {
        public FineTuneProgress.EpochReport bestEpoch() {
            return progress.epochs().get(progress.bestEpoch() - 1);
        }
    }

    private final Settings settings;
    private final OptimiserFactory optimisers;
    private final Path checkpoints;
    private final PrintStream log;

    public TrainingLoop(Settings settings, OptimiserFactory optimisers, Path checkpoints, PrintStream log) {
        this.settings = settings;
        this.optimisers = optimisers;
        this.checkpoints = checkpoints;
        this.log = log;
    }

    /**
     * Trains from the task's current weights, or from the checkpoint when {@code resume} is set
     * (and one exists), until every epoch has run.
     */
    public Outcome train(Task task, boolean resume) throws IOException {
        List<String> names = task.trainable();
        List<float[]> parameters = task.values(names);
        int perEpoch = task.batches(1).size();
        int total = perEpoch * settings.epochs();
        Optimiser optimiser = optimisers.create(names, parameters, total);
        FineTuneProgress progress = FineTuneProgress.start(settings.describe());
        Files.createDirectories(checkpoints);
        if (resume && Files.isRegularFile(checkpoints.resolve(PROGRESS))) {
            progress = restore(optimiser, task, names, parameters);
        } else if (Files.exists(checkpoints.resolve(PROGRESS))) {
            throw new IOException(checkpoints + " holds a run's checkpoint: pass --resume to continue it, or use another directory");
        }
        log.printf(Locale.ROOT, "training %d weights (%d values): %s; %d steps (%d per epoch)%n", names.size(),
                parameters.stream().mapToLong(p -> p.length).sum(), settings.describe(), total, perEpoch);

        while (progress.epoch() <= settings.epochs()) {
            int epoch = progress.epoch();
            List<int[]> batches = task.batches(epoch);
            RateMeter meter = new RateMeter();
            for (int b = progress.nextBatch(); b < batches.size(); b++) {
                long started = System.nanoTime();
                Step step = task.step(batches.get(b), dropoutSeed(optimiser.steps() + 1));
                double norm = optimiser.step(step.gradients());
                task.assignAll(names, parameters);
                double seconds = (System.nanoTime() - started) / 1e9;
                meter.add(step.sentences(), seconds);
                progress = new FineTuneProgress(progress.settingsUsed(), epoch, b + 1, optimiser.steps(),
                        progress.epochLossSum() + step.loss() * step.sentences(), progress.epochSentences() + step.sentences(),
                        progress.trainingSeconds() + seconds, progress.optimiserFile(), progress.epochs(), progress.bestEpoch());
                if (optimiser.steps() <= 3 || optimiser.steps() % 10 == 0 || b + 1 == batches.size()) {
                    log.println(status(progress, step.loss(), norm, optimiser.learningRateAt(optimiser.steps()), meter, total,
                            perEpoch));
                }
                if (optimiser.steps() % settings.checkpointEvery() == 0) {
                    progress = save(optimiser, task, progress);
                }
            }
            progress = finishEpoch(task, progress, meter);
            progress = save(optimiser, task, progress);
        }
        log.printf(Locale.ROOT, "done: %d steps in %s of training; keeping epoch %d (valid F1 %.2f)%n", progress.steps(),
                Durations.format(progress.trainingSeconds()), progress.bestEpoch(), 100 * progress.bestF1());
        return new Outcome(TensorFile.read(checkpoints, BEST), progress);
    }

    private FineTuneProgress finishEpoch(Task task, FineTuneProgress progress, RateMeter meter) throws IOException {
        Map<String, TrainingRecord.Figures> figures = new LinkedHashMap<>();
        long correct = 0, predicted = 0, gold = 0;
        long started = System.nanoTime();
        Map<String, SpanScores> scores = task.evaluate();
        long sentences = 0;
        for (Map.Entry<String, SpanScores> set : scores.entrySet()) {
            SpanScores.Counts overall = set.getValue().overall();
            figures.put(set.getKey(), TrainingRecord.Figures.of(overall));
            correct += overall.correct();
            predicted += overall.predicted();
            gold += overall.gold();
            sentences += set.getValue().sentences();
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
            task.snapshot().write(checkpoints, BEST);
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

    private long dropoutSeed(int step) {
        return settings.seed() * 1_000_003L + step;
    }

    /** Writes the optimiser's and the task's state under a new name, then the progress naming it, then drops the old state. */
    private FineTuneProgress save(Optimiser optimiser, Task task, FineTuneProgress progress) throws IOException {
        String file = String.format(Locale.ROOT, "optimiser-%07d-%d.bin", optimiser.steps(), progress.epochs().size());
        optimiser.save(checkpoints.resolve(file));
        task.saveState(checkpoints.resolve(stateFile(file)));
        FineTuneProgress saved = new FineTuneProgress(progress.settingsUsed(), progress.epoch(), progress.nextBatch(),
                progress.steps(), progress.epochLossSum(), progress.epochSentences(), progress.trainingSeconds(), file,
                progress.epochs(), progress.bestEpoch());
        Path partial = checkpoints.resolve(PROGRESS + ".partial");
        JSON.writeValue(partial.toFile(), saved);
        Files.move(partial, checkpoints.resolve(PROGRESS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (progress.optimiserFile() != null && !progress.optimiserFile().equals(file)) {
            Files.deleteIfExists(checkpoints.resolve(progress.optimiserFile()));
            Files.deleteIfExists(checkpoints.resolve(stateFile(progress.optimiserFile())));
        }
        return saved;
    }

    private static String stateFile(String optimiserFile) {
        return optimiserFile.replace(".bin", ".state");
    }

    private FineTuneProgress restore(Optimiser optimiser, Task task, List<String> names, List<float[]> parameters)
            throws IOException {
        FineTuneProgress progress = JSON.readValue(checkpoints.resolve(PROGRESS).toFile(), FineTuneProgress.class);
        if (!progress.settingsUsed().equals(settings.describe())) {
            throw new IOException(checkpoints + " is a checkpoint of another run: " + progress.settingsUsed()
                    + "; this one is " + settings.describe());
        }
        optimiser.restore(checkpoints.resolve(progress.optimiserFile()));
        if (optimiser.steps() != progress.steps()) {
            throw new IOException(checkpoints + ": the optimiser state has " + optimiser.steps() + " steps, the progress "
                    + progress.steps());
        }
        task.restoreState(checkpoints.resolve(stateFile(progress.optimiserFile())));
        task.assignAll(names, parameters);
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
