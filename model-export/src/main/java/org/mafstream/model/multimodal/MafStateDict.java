package org.mafstream.model.multimodal;

import java.util.ArrayList;
import java.util.List;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.graph.MafObjective;

/**
 * The keys and shapes of the original's {@code pytorch_model.bin}, in the order
 * {@code MTCCMBertForMMTokenClassificationCRF.state_dict()} lists them: BERT, the two
 * self-attention encoders it builds but never calls (kept so the original code loads the file),
 * the image projection, the cross attention, the matching and emission classifiers, the CRF, the
 * gates and the alignment heads.
 */
public final class MafStateDict {
    /** A state-dict entry: its key and the shape the checkpoint stores it in. */
    public record Entry(String key, long[] shape) {}

    private MafStateDict() {}

    /** @param regionChannels the width {@code vismap2text} reads (2048 for ResNet-152) */
    public static List<Entry> model(MafShape shape, int regionChannels) {
        BertShape bert = shape.bert();
        int h = bert.hiddenSize();
        List<Entry> entries = new ArrayList<>();
        add(entries, "bert.embeddings.word_embeddings.weight", bert.vocabSize(), h);
        add(entries, "bert.embeddings.position_embeddings.weight", bert.maxPositions(), h);
        add(entries, "bert.embeddings.token_type_embeddings.weight", bert.typeVocabSize(), h);
        add(entries, "bert.embeddings.LayerNorm.weight", h);
        add(entries, "bert.embeddings.LayerNorm.bias", h);
        for (int layer = 0; layer < bert.numLayers(); layer++) {
            transformerLayer(entries, "bert.encoder.layer." + layer, bert);
        }
        linear(entries, "bert.pooler.dense", h, h);
        transformerLayer(entries, "self_attention.layer.0", bert);
        transformerLayer(entries, "self_attention_v2.layer.0", bert);
        linear(entries, "vismap2text", regionChannels, h);
        transformerLayer(entries, "txt2img_attention.layer.0", bert);
        linear(entries, "crs_classifier", shape.matchingFeatures(), 2);
        linear(entries, "classifier", 2 * h, shape.numLabels());
        add(entries, "crf.start_transitions", shape.numLabels());
        add(entries, "crf.end_transitions", shape.numLabels());
        add(entries, "crf.transitions", shape.numLabels(), shape.numLabels());
        linear(entries, "Gate_text", h, h);
        linear(entries, "Gate_image", h, h);
        linear(entries, "text_dense_cl", h, h);
        linear(entries, "text_ouput_cl", h, h);
        linear(entries, "image_dense_cl", MafObjective.ALIGNMENT_IMAGE_WIDTH, h);
        linear(entries, "image_output_cl", h, h);
        return List.copyOf(entries);
    }

    /** BertLayer / BertCrossAttentionLayer: the same parameters under the same names. */
    private static void transformerLayer(List<Entry> entries, String prefix, BertShape bert) {
        int h = bert.hiddenSize();
        linear(entries, prefix + ".attention.self.query", h, h);
        linear(entries, prefix + ".attention.self.key", h, h);
        linear(entries, prefix + ".attention.self.value", h, h);
        linear(entries, prefix + ".attention.output.dense", h, h);
        add(entries, prefix + ".attention.output.LayerNorm.weight", h);
        add(entries, prefix + ".attention.output.LayerNorm.bias", h);
        linear(entries, prefix + ".intermediate.dense", h, bert.intermediateSize());
        linear(entries, prefix + ".output.dense", bert.intermediateSize(), h);
        add(entries, prefix + ".output.LayerNorm.weight", h);
        add(entries, prefix + ".output.LayerNorm.bias", h);
    }

    /** nn.Linear(in, out): weight [out, in], bias [out]. */
    private static void linear(List<Entry> entries, String prefix, int in, int out) {
        add(entries, prefix + ".weight", out, in);
        add(entries, prefix + ".bias", out);
    }

    private static void add(List<Entry> entries, String key, long... shape) {
        entries.add(new Entry(key, shape));
    }
}
