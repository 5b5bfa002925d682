package org.mafstream.model.train;

/**
 * What a training run's result depends on (the thread count does not, see {@link HeadTrainer}).
 *
 * @param seed initial weights and the order of sentences in each epoch
 * @param maxEpochs passes over the training set at most
 * @param patience stop after this many epochs without a better valid F1
 * @param learningRate Adam's step size
 * @param batchSize sentences per update; the loss is their mean NLL, as the original's reduction='mean'
 * @param l2 weight of 0.5·l2·|W|² added to the loss, W the classifier weight (not bias, not CRF)
 */
public record TrainerSettings(long seed, int maxEpochs, int patience, double learningRate, int batchSize, double l2) {

    /** For a linear+CRF probe on 768-d frozen features of ~3400 sentences. */
    public static final TrainerSettings DEFAULTS = new TrainerSettings(42, 60, 8, 2e-3, 32, 0);

    public TrainerSettings {
        if (maxEpochs < 1 || patience < 1 || batchSize < 1 || !(learningRate > 0) || !(l2 >= 0)) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "need epochs >= 1, patience >= 1, batch >= 1, lr > 0, l2 >= 0; got epochs %d, patience %d, batch %d, lr %s, l2 %s",
                    maxEpochs, patience, batchSize, learningRate, l2));
        }
    }
}
