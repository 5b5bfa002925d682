package org.mafstream.model.arch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The original training script's {@code model_config.json}: label map, sequence length and
 * lower-casing. Labels are returned in id order with id 0 = PAD (the padding label, not in the
 * map).
 */
public record ModelConfig(String bertModel, boolean doLowerCase, int maxSeqLength, List<String> labels) {

    /** MAF's labels for Twitter-2015/2017 (OTHER is MISC), ids 0..12. */
    public static final List<String> TWITTER_LABELS = List.of(
            "PAD", "O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "X", "[CLS]", "[SEP]");

    public static ModelConfig fromJson(JsonNode json) {
        int numLabels = json.path("num_labels").asInt(-1);
        JsonNode map = json.path("label_map");
        if (numLabels < 2 || !map.isObject()) {
            throw new IllegalArgumentException("model_config.json: needs num_labels and label_map");
        }
        List<String> labels = new ArrayList<>();
        labels.add("PAD");
        for (int id = 1; id < numLabels; id++) {
            JsonNode label = map.get(Integer.toString(id));
            if (label == null) {
                throw new IllegalArgumentException("model_config.json: label_map has no label for id " + id);
            }
            labels.add(label.asText());
        }
        int maxSeqLength = json.path("max_seq_length").asInt(MafShape.MAX_SEQ_LENGTH);
        if (maxSeqLength != MafShape.MAX_SEQ_LENGTH) {
            throw new IllegalArgumentException("model_config.json: max_seq_length " + maxSeqLength
                    + " is not supported: MAF's matching classifier is built for " + MafShape.MAX_SEQ_LENGTH);
        }
        return new ModelConfig(json.path("bert_model").asText("bert-base-cased"),
                json.path("do_lower").asBoolean(false), maxSeqLength, List.copyOf(labels));
    }

    public int numLabels() {
        return labels.size();
    }
}
