package org.mafstream.model.train;

import java.util.Locale;
import java.util.function.Predicate;
import org.mafstream.model.graph.DisabledImageBranch;
import org.mafstream.model.graph.LowRankAdapters;

/**
 * How BERT and MAF's text head are fine-tuned.
 *
 * @param mode what trains: {@link Mode#LORA} or {@link Mode#FULL}
 * @param rank LoRA's r (unused by {@link Mode#FULL})
 * @param alpha LoRA's alpha: the update is (alpha/r)·B·A
 * @param dropout BERT's dropout while training (none at inference)
 * @param warmupFraction the share of all steps over which the learning rate warms up
 * @param checkpointEvery write a checkpoint every this many steps (and after every epoch)
 */
public record FineTuneSettings(Mode mode, long seed, int epochs, int batchSize, double learningRate, double weightDecay,
                               double warmupFraction, double maxGradientNorm, int rank, float alpha, float dropout,
                               int checkpointEvery) {

    public static final FineTuneSettings DEFAULTS =
            new FineTuneSettings(Mode.LORA, 42, 3, 16, 1e-3, 0.01, 0.1, 1.0, 8, 16f, 0.1f, 100);

    public enum Mode {
        /** Adapters on BERT's projections, BERT's biases and LayerNorms, the emission classifier and the CRF. */
        LORA,
        /** Every weight of the text graph except the (disabled) image branch's. */
        FULL
    }

    public FineTuneSettings {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || weightDecay < 0 || warmupFraction < 0 || warmupFraction >= 1
                || maxGradientNorm < 0 || rank < 1 || dropout < 0 || dropout >= 1 || checkpointEvery < 1) {
            throw new IllegalArgumentException("invalid fine-tuning settings: " + this);
        }
    }

    /** The adapters the training graph gets. */
    public LowRankAdapters adapters() {
        return mode == Mode.LORA ? LowRankAdapters.onBertProjections(rank, alpha) : LowRankAdapters.NONE;
    }

    /** Which weights train. */
    public Predicate<String> trainable() {
        return switch (mode) {
            case LORA -> key -> isAdapter(key) || isHead(key) || key.startsWith("bert.") && isBiasOrNorm(key);
            case FULL -> key -> !DisabledImageBranch.owns(key);
        };
    }

    /** AdamW's decoupled weight decay skips biases, LayerNorms and the CRF, as BERT fine-tuning does. */
    public static boolean decays(String key) {
        return !isBiasOrNorm(key) && !key.startsWith("crf.");
    }

    public AdamW.Settings optimiser(int totalSteps) {
        return new AdamW.Settings(learningRate, weightDecay, (int) Math.round(warmupFraction * totalSteps), totalSteps,
                maxGradientNorm);
    }

    public static boolean isAdapter(String key) {
        return key.endsWith(LowRankAdapters.A_SUFFIX) || key.endsWith(LowRankAdapters.B_SUFFIX);
    }

    public static boolean isHead(String key) {
        return key.startsWith("classifier.") || key.startsWith("crf.");
    }

    private static boolean isBiasOrNorm(String key) {
        return key.endsWith(".bias") || key.contains("LayerNorm.");
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s, %d epochs, batch %d, lr %s, weight decay %s, warm-up %s, clip %s, dropout %s, seed %d",
                mode == Mode.LORA ? "LoRA r " + rank + " alpha " + alpha : "full fine-tuning", epochs, batchSize,
                learningRate, weightDecay, warmupFraction, maxGradientNorm, dropout, seed);
    }
}
