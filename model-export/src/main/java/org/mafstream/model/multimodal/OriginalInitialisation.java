package org.mafstream.model.multimodal;

import java.util.SplittableRandom;
import org.mafstream.model.graph.RandomWeights;
import org.mafstream.model.weights.WeightSource;

/**
 * How the original initialises what pretrained BERT does not supply (BertPreTrainedModel's
 * init_bert_weights, pytorch-crf's reset_parameters): nn.Linear and embedding weights
 * N(0, 0.02²), biases 0, LayerNorm weight 1 and bias 0, the CRF's transitions U(−0.1, 0.1). Each
 * key draws from its own stream (seed and key), so the values do not depend on reading order.
 */
public final class OriginalInitialisation implements WeightSource {
    private static final double INITIALIZER_RANGE = 0.02;
    private static final double CRF_BOUND = 0.1;

    private final long seed;

    public OriginalInitialisation(long seed) {
        this.seed = seed;
    }

    @Override
    public float[] read(String key, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] values = new float[Math.toIntExact(n)];
        if (key.contains("LayerNorm.")) {
            java.util.Arrays.fill(values, key.endsWith(".weight") ? 1f : 0f);
            return values;
        }
        if (key.endsWith(".bias")) {
            return values;
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key.hashCode());
        for (int i = 0; i < values.length; i++) {
            values[i] = key.startsWith("crf.") ? (float) ((2 * random.nextDouble() - 1) * CRF_BOUND)
                    : (float) (RandomWeights.gaussian(random) * INITIALIZER_RANGE);
        }
        return values;
    }
}
