package org.mafstream.model.graph;

import java.io.IOException;
import org.mafstream.model.weights.WeightSource;

/**
 * Weights with trained low-rank adapters folded in: W' = W + (alpha/r)·B·A for every layer the
 * adapters cover, everything else as {@code base} has it. A graph built without adapters over
 * these weights computes what the adapter graph computes, to float32 rounding.
 */
public final class LoraMergedWeights implements WeightSource {
    private static final String WEIGHT = ".weight";

    private final WeightSource base;
    private final WeightSource adapters;
    private final LowRankAdapters plan;

    /** @param adapters holds {@code prefix.lora_A} [r, in] and {@code prefix.lora_B} [out, r] */
    public LoraMergedWeights(WeightSource base, WeightSource adapters, LowRankAdapters plan) {
        this.base = base;
        this.adapters = adapters;
        this.plan = plan;
    }

    @Override
    public float[] read(String key, long[] shape) throws IOException {
        float[] w = base.read(key, shape);
        if (!key.endsWith(WEIGHT) || shape.length != 2) {
            return w;
        }
        String prefix = key.substring(0, key.length() - WEIGHT.length());
        if (!plan.covers().test(prefix)) {
            return w;
        }
        int out = (int) shape[0];
        int in = (int) shape[1];
        int r = plan.rank();
        float[] a = adapters.read(prefix + LowRankAdapters.A_SUFFIX, new long[] {r, in});
        float[] b = adapters.read(prefix + LowRankAdapters.B_SUFFIX, new long[] {out, r});
        float scale = plan.scale();
        float[] merged = w.clone();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double update = 0;
                for (int k = 0; k < r; k++) {
                    update += (double) b[o * r + k] * a[k * in + i];
                }
                merged[o * in + i] = (float) (w[o * in + i] + scale * update);
            }
        }
        return merged;
    }
}
