package org.mafstream.model.train;

import java.util.List;
import java.util.Map;

/**
 * Where a fine-tuning run stands, as its checkpoint records it: enough to continue exactly where
 * it stopped (the optimiser's state is in the file named {@code optimiserFile}).
 *
 * @param settingsUsed the run's settings, in words; a resumed run must have the same
 * @param epoch the epoch under way (1-based)
 * @param nextBatch the next batch of that epoch (0-based)
 * @param steps optimiser steps taken
 * @param epochLossSum the sum over this epoch's batches so far of batch size × mean loss
 * @param epochSentences sentences this epoch so far
 * @param trainingSeconds seconds spent in training steps, over all sessions
 * @param epochs the finished epochs
 * @param bestEpoch the epoch whose weights are in the checkpoint's best.* files (0: none yet)
 */
public record FineTuneProgress(String settingsUsed, int epoch, int nextBatch, int steps, double epochLossSum,
                               int epochSentences, double trainingSeconds, String optimiserFile,
                               List<EpochReport> epochs, int bestEpoch) {

    /**
     * One finished epoch.
     *
     * @param valid per valid set, its scores under the original's rules
     * @param selectionF1 the F1 of all valid sets' counts together, which picks the epoch kept
     * @param trainSentencesPerSecond forward + backward + update
     * @param forwardSentencesPerSecond the valid sets' forward passes (no dropout, no gradients)
     */
    public record EpochReport(int epoch, double meanLoss, Map<String, TrainingRecord.Figures> valid, double selectionF1,
                              double trainSentencesPerSecond, double forwardSentencesPerSecond, double trainingSeconds) {}

    public FineTuneProgress {
        epochs = List.copyOf(epochs);
    }

    static FineTuneProgress start(String settings) {
        return new FineTuneProgress(settings, 1, 0, 0, 0, 0, 0, null, List.of(), 0);
    }

    double bestF1() {
        return bestEpoch == 0 ? -1 : epochs.get(bestEpoch - 1).selectionF1();
    }
}
