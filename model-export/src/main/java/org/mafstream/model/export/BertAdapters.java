package org.mafstream.model.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.mafstream.model.graph.LoraMergedWeights;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.weights.WeightSource;
import org.mafstream.model.weights.TensorFile;

/**
 * What fine-tuning changed in BERT ({@code adapters.{json,bin}} of a fine-tuned model): LoRA
 * adapters, merged into the weights they adapt at export (W + (alpha/r)·B·A), and the BERT
 * weights that trained outright (biases and LayerNorms; every weight after full fine-tuning),
 * which replace bert-base-cased's. The bundle then has MAF's exact graph.
 *
 * @param plan the adapters' rank, alpha and layers, from the file's record; {@link LowRankAdapters#NONE} after full fine-tuning
 */
public record BertAdapters(TensorFile file, LowRankAdapters plan) {

    /** Reads the plan from the record the fine-tuner wrote ({@code metadata.hyperParameters}). */
    public static BertAdapters of(TensorFile file) throws IOException {
        JsonNode settings = file.metadata().path("hyperParameters");
        return switch (settings.path("mode").asText()) {
            case "LORA" -> new BertAdapters(file, LowRankAdapters.onBertProjections(settings.path("rank").asInt(),
                    (float) settings.path("alpha").asDouble()));
            case "FULL" -> new BertAdapters(file, LowRankAdapters.NONE);
            default -> throw new IOException("the adapters' record names no fine-tuning mode (hyperParameters.mode is "
                    + settings.path("mode") + ")");
        };
    }

    /** {@code bert} with these changes applied: the adapters merged into their weights, for a graph without adapters. */
    public WeightSource merged(WeightSource bert) {
        return plan.equals(LowRankAdapters.NONE) ? unmerged(bert) : new LoraMergedWeights(unmerged(bert), file, plan);
    }

    /** {@code bert}'s weights with the trained ones replaced and the adapters beside them, for a graph with adapters ({@link #plan}). */
    public WeightSource unmerged(WeightSource bert) {
        return (key, shape) -> file.contains(key) ? file.read(key, shape) : bert.read(key, shape);
    }
}
