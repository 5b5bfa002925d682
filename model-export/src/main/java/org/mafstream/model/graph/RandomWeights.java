package org.mafstream.model.graph;

import java.util.SplittableRandom;
import org.mafstream.model.weights.WeightSource;

/**
 * Deterministic random weights for an untrained bundle (demos, tests, full-size smoke runs):
 * each key gets its own stream seeded from the key, so values do not depend on the order of
 * reading. Initialised so activations stay finite through a full ResNet-152 and BERT-base:
 * normalisation layers start as the identity, and each bottleneck's last BatchNorm starts at
 * zero (its block starts as the identity, as torchvision's zero_init_residual does).
 */
public final class RandomWeights implements WeightSource {
    private final long seed;

    public RandomWeights(long seed) {
        this.seed = seed;
    }

    @Override
    public float[] read(String key, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] values = new float[Math.toIntExact(n)];
        if (key.endsWith("running_var") || key.endsWith("LayerNorm.weight") || isBatchNormScale(key)) {
            java.util.Arrays.fill(values, isLastBatchNormOfBlock(key) ? 0f : 1f);
            return values;
        }
        if (key.endsWith(".bias") || key.endsWith("running_mean")) {
            return values;
        }
        SplittableRandom random = new SplittableRandom(seed ^ key.hashCode() * 0x9E3779B97F4A7C15L);
        double std = standardDeviation(key, shape);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (gaussian(random) * std);
        }
        return values;
    }

    private static double standardDeviation(String key, long[] shape) {
        if (shape.length == 4) {
            // He initialisation for convolutions (fan_out, as torchvision's ResNet does).
            return Math.sqrt(2.0 / (shape[0] * shape[2] * shape[3]));
        }
        if (key.startsWith("crf.")) {
            return 0.1;
        }
        return 0.02; // BERT's initializer_range
    }

    private static boolean isBatchNormScale(String key) {
        return key.startsWith("resnet.") && key.endsWith(".weight")
                && (key.matches(".*\\.bn\\d\\.weight") || key.endsWith("downsample.1.weight"));
    }

    private static boolean isLastBatchNormOfBlock(String key) {
        return key.startsWith("resnet.layer") && key.endsWith(".bn3.weight");
    }

    /** A standard normal draw. */
    public static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
