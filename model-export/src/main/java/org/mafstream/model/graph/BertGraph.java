package org.mafstream.model.graph;

import org.mafstream.model.arch.BertShape;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * BERT's embeddings and encoder layers over sequences of a fixed length, with the weight names of
 * MAF's checkpoint ({@code bert.*}). MAF runs it at 128 positions; the trainer's feature extractor
 * builds it at shorter lengths too (sharing the same variables), since real positions do not see
 * padding.
 */
public final class BertGraph {
    private final WeightedGraph g;
    private final Ops tf;
    private final Layers layers;
    private final BertShape bert;
    private final Gelu gelu;

    /** The embedding LayerNorm's output and the last layer's output S, both [B, length, hidden]. */
    public record Outputs(Operand<TFloat32> embeddings, Operand<TFloat32> sequenceOutput) {}

    public BertGraph(WeightedGraph g, BertShape bert, Gelu gelu) {
        this.g = g;
        this.tf = g.tf();
        this.layers = new Layers(g);
        this.bert = bert;
        this.gelu = gelu;
    }

    public Outputs build(Operand<TInt32> inputIds, Operand<TInt32> inputMask, Operand<TInt32> segmentIds, int length) {
        TransformerLayer transformer = new TransformerLayer(layers, tf, bert, gelu);
        Operand<TFloat32> embeddings = embeddings(inputIds, segmentIds, length);
        // Padding positions get -10000 before the softmax; they are still computed, and matter
        // because MAF's matching classifier reads all 128 positions.
        Operand<TFloat32> textMask = tf.reshape(
                tf.math.mul(tf.math.sub(tf.constant(1.0f), tf.dtypes.cast(inputMask, TFloat32.class)),
                        tf.constant(-10000.0f)),
                tf.constant(new int[] {-1, 1, 1, length}));
        Operand<TFloat32> s = embeddings;
        for (int layer = 0; layer < bert.numLayers(); layer++) {
            s = transformer.apply(s, s, textMask, "bert.encoder.layer." + layer, length, length).output();
        }
        return new Outputs(embeddings, s);
    }

    private Operand<TFloat32> embeddings(Operand<TInt32> inputIds, Operand<TInt32> segmentIds, int length) {
        int h = bert.hiddenSize();
        Operand<TFloat32> words = tf.gather(
                g.weight("bert.embeddings.word_embeddings.weight", bert.vocabSize(), h), inputIds, tf.constant(0));
        Operand<TFloat32> positions = tf.gather(
                g.weight("bert.embeddings.position_embeddings.weight", bert.maxPositions(), h),
                tf.range(tf.constant(0), tf.constant(length), tf.constant(1)), tf.constant(0));
        Operand<TFloat32> tokenTypes = tf.gather(
                g.weight("bert.embeddings.token_type_embeddings.weight", bert.typeVocabSize(), h),
                segmentIds, tf.constant(0));
        Operand<TFloat32> sum = tf.math.add(tf.math.add(words, positions), tokenTypes);
        return layers.layerNorm(sum, "bert.embeddings.LayerNorm", h, bert.layerNormEps());
    }
}
