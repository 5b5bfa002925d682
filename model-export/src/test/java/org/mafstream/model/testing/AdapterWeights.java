package org.mafstream.model.testing;

import java.util.SplittableRandom;
import org.mafstream.model.graph.RandomWeights;
import org.mafstream.model.weights.WeightSource;

/**
 * Random weights for a graph with LoRA adapters: the base as {@link RandomWeights}, and adapters
 * random too (B not zero, as after training), large enough to move the outputs and to give
 * every adapter weight a gradient.
 */
public final class AdapterWeights {
    private AdapterWeights() {}

    public static WeightSource random(long seed) {
        RandomWeights base = new RandomWeights(seed);
        return (key, shape) -> {
            if (!key.contains(".lora_")) {
                return base.read(key, shape);
            }
            SplittableRandom random = new SplittableRandom(seed ^ key.hashCode());
            float[] values = new float[Math.toIntExact(shape[0] * shape[1])];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() - 0.5) * 0.35); // uniform, std 0.1
            }
            return values;
        };
    }
}
