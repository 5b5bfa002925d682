package org.mafstream.model.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.mafstream.model.scoring.SpanScores;

/**
 * Trains a {@link TextHead} on frozen features: minibatches of shuffled sentences, the mean NLL over
 * all n positions of each ([CLS], X and [SEP] included, as MAF trains), Adam, and early stopping on
 * the valid set's span F1, keeping the best epoch's parameters.
 *
 * <p>Deterministic for a seed whatever the thread count: each sentence of a batch gets its own
 * gradient buffer, and the buffers are summed in batch order.
 */
public final class HeadTrainer {

    /** One epoch: mean NLL per training sentence, valid scores after it, seconds since training began. */
    public record EpochReport(int epoch, double meanLoss, SpanScores valid, double elapsedSeconds) {}

    /** The head of the best epoch, and every epoch's report. */
    public record Outcome(TextHead head, List<EpochReport> epochs, int bestEpoch) {
        public EpochReport best() {
            return epochs.get(bestEpoch - 1);
        }
    }

    private final TrainerSettings settings;
    private final List<String> labels;
    private final int threads;
    private final PrintStream log;

    /** @param labels the label of each tag id; the head has one tag per label */
    public HeadTrainer(TrainerSettings settings, List<String> labels, int threads, PrintStream log) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.settings = settings;
        this.labels = List.copyOf(labels);
        this.threads = threads;
        this.log = log;
    }

    public Outcome train(TaggedSentences train, TaggedSentences valid) {
        int hidden = train.features().hidden();
        if (valid.features().hidden() != hidden) {
            throw new IllegalArgumentException("train features have " + hidden + " dimensions, valid " + valid.features().hidden());
        }
        checkTags(train);
        checkTags(valid);
        TextHead head = TextHead.initialised(labels.size(), hidden, settings.seed());
        Adam adam = new Adam(head.blocks(), settings.learningRate());
        Random shuffling = new Random(settings.seed());
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<EpochReport> reports = new ArrayList<>();
        TextHead best = head.copy();
        int bestEpoch = 0;
        double bestF1 = -1;
        long start = System.nanoTime();
        try (BatchGradients gradients = new BatchGradients(head, settings.batchSize(), threads)) {
            for (int epoch = 1; epoch <= settings.maxEpochs(); epoch++) {
                shuffle(order, shuffling);
                double lossSum = 0;
                for (int from = 0; from < order.length; from += settings.batchSize()) {
                    int size = Math.min(settings.batchSize(), order.length - from);
                    int[] batch = java.util.Arrays.copyOfRange(order, from, from + size);
                    lossSum += gradients.compute(train, batch);
                    TextHead mean = gradients.mean();
                    addWeightDecay(mean, head);
                    adam.step(mean.blocks());
                }
                SpanScores scores = HeadEvaluation.evaluate(head, valid, labels);
                EpochReport report = new EpochReport(epoch, lossSum / order.length, scores, (System.nanoTime() - start) / 1e9);
                reports.add(report);
                boolean improved = scores.f1() > bestF1;
                if (improved) {
                    bestF1 = scores.f1();
                    bestEpoch = epoch;
                    best.copyFrom(head);
                }
                log.println(format(report, valid.name(), improved));
                if (epoch - bestEpoch >= settings.patience()) {
                    log.printf(Locale.ROOT, "no better %s F1 for %d epochs: stopping, keeping epoch %d%n",
                            valid.name(), settings.patience(), bestEpoch);
                    break;
                }
            }
        }
        return new Outcome(best, List.copyOf(reports), bestEpoch);
    }

    private void addWeightDecay(TextHead gradient, TextHead head) {
        if (settings.l2() == 0) {
            return;
        }
        for (int j = 0; j < head.weight.length; j++) {
            for (int h = 0; h < head.hidden; h++) {
                gradient.weight[j][h] += settings.l2() * head.weight[j][h];
            }
        }
    }

    private void checkTags(TaggedSentences data) {
        for (int i = 0; i < data.size(); i++) {
            for (int tag : data.gold().get(i)) {
                if (tag < 0 || tag >= labels.size()) {
                    throw new IllegalArgumentException(data.name() + ": sentence " + i + " has tag id " + tag
                            + ", outside the " + labels.size() + " labels");
                }
            }
        }
    }

    /** Fisher-Yates with {@code random}: the same permutations for the same seed. */
    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    private static String format(EpochReport report, String validName, boolean improved) {
        SpanScores.Counts valid = report.valid().overall();
        return String.format(Locale.ROOT, "epoch %3d  loss %.4f  %s P %.4f R %.4f F1 %.4f%s  %.1f s",
                report.epoch(), report.meanLoss(), validName, valid.precision(), valid.recall(), valid.f1(),
                improved ? " *" : "  ", report.elapsedSeconds());
    }
}
