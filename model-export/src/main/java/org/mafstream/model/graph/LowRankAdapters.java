package org.mafstream.model.graph;

import java.util.function.Predicate;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021) on chosen nn.Linear layers: y = x·Wᵀ + b +
 * (alpha/rank)·(x·Aᵀ)·Bᵀ with A [rank, in] and B [out, rank] trained while W stays frozen. For
 * training graphs only: a bundle gets the adapters merged into W ({@link LoraMergedWeights}),
 * so it keeps MAF's exact graph and signatures.
 *
 * @param rank r, the adapters' inner width
 * @param alpha the scale numerator: the update is (alpha/r)·B·A
 * @param covers which layers (by weight prefix, e.g. {@code bert.encoder.layer.3.attention.self.query}) get one
 */
public record LowRankAdapters(int rank, float alpha, Predicate<String> covers) {
    /** No adapters: the plain graph. */
    public static final LowRankAdapters NONE = new LowRankAdapters(1, 1f, prefix -> false);

    public static final String A_SUFFIX = ".lora_A";
    public static final String B_SUFFIX = ".lora_B";

    public LowRankAdapters {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
    }

    /**
     * The layers the fine-tuning issue names: query, key, value, attention output, intermediate
     * and output projections of every BERT layer.
     */
    public static LowRankAdapters onBertProjections(int rank, float alpha) {
        return new LowRankAdapters(rank, alpha, prefix -> prefix.startsWith("bert.encoder.layer.")
                && (prefix.endsWith(".attention.self.query") || prefix.endsWith(".attention.self.key")
                || prefix.endsWith(".attention.self.value") || prefix.endsWith(".attention.output.dense")
                || prefix.endsWith(".intermediate.dense") || prefix.endsWith(".output.dense")));
    }

    public float scale() {
        return alpha / rank;
    }
}
