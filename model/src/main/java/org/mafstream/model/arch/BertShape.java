package org.mafstream.model.arch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The size of MAF's BERT text encoder, as the original's {@code config.json} gives it. The MAF
 * head layers (cross attention, gate, classifier) take their width from the same numbers.
 */
public record BertShape(
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps) {

    public BertShape {
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numHeads);
        }
    }

    /** bert-base-cased: 12 layers of width 768 with 12 heads. */
    public static final BertShape BASE_CASED = new BertShape(28996, 768, 12, 12, 3072, 512, 2, 1e-12);

    /** The shrunken BERT of the maf-tiny test fixture. */
    public static final BertShape TINY = new BertShape(28996, 32, 2, 4, 64, 512, 2, 1e-12);

    public int headSize() {
        return hiddenSize / numHeads;
    }

    /** Reads a BERT {@code config.json}; only {@code gelu} (the erf form) is supported as activation. */
    public static BertShape fromConfig(JsonNode config) {
        String act = config.path("hidden_act").asText("gelu");
        if (!"gelu".equals(act)) {
            throw new IllegalArgumentException("config.json: hidden_act '" + act + "' is not supported (MAF uses gelu)");
        }
        return new BertShape(
                required(config, "vocab_size"),
                required(config, "hidden_size"),
                required(config, "num_hidden_layers"),
                required(config, "num_attention_heads"),
                required(config, "intermediate_size"),
                required(config, "max_position_embeddings"),
                config.path("type_vocab_size").asInt(2),
                config.path("layer_norm_eps").asDouble(1e-12));
    }

    private static int required(JsonNode config, String field) {
        JsonNode value = config.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException("config.json: missing integer field '" + field + "'");
        }
        return value.asInt();
    }
}
