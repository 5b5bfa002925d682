package org.mafstream.model.graph;

import org.mafstream.model.arch.BertShape;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * BERT's embeddings and encoder layers, with the weight names of MAF's checkpoint
 * ({@code bert.*}). The sequence length is a graph value: MAF runs it at a fixed 128 positions,
 * a text-only bundle and the trainer's feature extractor at the batch's own length (real
 * positions do not see padding, so their values are the same).
 */
public final class BertGraph {
    private final WeightedGraph g;
    private final Ops tf;
    private final Layers layers;
    private final BertShape bert;
    private final Gelu gelu;

    /** The embedding LayerNorm's output and the last layer's output S, both rows [B·length, hidden]. */
    public record Outputs(Operand<TFloat32> embeddings, Operand<TFloat32> sequenceOutput) {}

    public BertGraph(WeightedGraph g, BertShape bert, Gelu gelu) {
        this(g, bert, gelu, LowRankAdapters.NONE);
    }

    /** @param adapters low-rank adapters on some of BERT's layers (training graphs) */
    public BertGraph(WeightedGraph g, BertShape bert, Gelu gelu, LowRankAdapters adapters) {
        this.g = g;
        this.tf = g.tf();
        this.layers = new Layers(g, adapters);
        this.bert = bert;
        this.gelu = gelu;
    }

    /**
     * @param inputIds, inputMask, segmentIds [B, length]
     * @param length the sequence length (a constant where it is fixed, so the graph's shapes stay static)
     */
    public Outputs build(Operand<TInt32> inputIds, Operand<TInt32> inputMask, Operand<TInt32> segmentIds,
                         Operand<TInt32> length) {
        return build(inputIds, inputMask, segmentIds, length, null, false);
    }

    /**
     * @param dropout BERT's dropout on the embeddings, attention and hidden layers (training), or null
     * @param training a training graph: the padding row of the word embeddings gets no gradient
     */
    public Outputs build(Operand<TInt32> inputIds, Operand<TInt32> inputMask, Operand<TInt32> segmentIds,
                         Operand<TInt32> length, Dropout dropout, boolean training) {
        TransformerLayer transformer = new TransformerLayer(layers, tf, bert, gelu, dropout);
        Operand<TFloat32> embeddings = embeddings(inputIds, segmentIds, length, training);
        Operand<TFloat32> s = dropout == null ? embeddings : dropout.rows(embeddings, bert.hiddenSize());
        // Padding positions get -10000 before the softmax; they are still computed, and matter
        // because MAF's matching classifier reads all 128 positions.
        Operand<TFloat32> textMask = tf.reshape(
                tf.math.mul(tf.math.sub(tf.constant(1.0f), tf.dtypes.cast(inputMask, TFloat32.class)),
                        tf.constant(-10000.0f)),
                layers.shape(tf.constant(-1), tf.constant(1), tf.constant(1), length));
        for (int layer = 0; layer < bert.numLayers(); layer++) {
            s = transformer.apply(s, s, textMask, "bert.encoder.layer." + layer, length, length).output();
        }
        return new Outputs(embeddings, s);
    }

    private Operand<TFloat32> embeddings(Operand<TInt32> inputIds, Operand<TInt32> segmentIds, Operand<TInt32> length,
                                         boolean training) {
        int h = bert.hiddenSize();
        Operand<TInt32> ids = tf.reshape(inputIds, tf.constant(new int[] {-1}));
        Operand<TFloat32> words = tf.gather(g.weight("bert.embeddings.word_embeddings.weight", bert.vocabSize(), h), ids,
                tf.constant(0));
        if (training) {
            // nn.Embedding(padding_idx=0), as the original's BERT: row 0 is read but never trained. Its
            // rows pass through a stop-gradient; w·1 + w'·0 is w exactly, so the forward is unchanged.
            Operand<TFloat32> real = tf.reshape(tf.dtypes.cast(tf.math.notEqual(ids, tf.constant(0)), TFloat32.class),
                    tf.constant(new int[] {-1, 1}));
            words = tf.math.add(tf.math.mul(words, real),
                    tf.math.mul(tf.stopGradient(words), tf.math.sub(tf.constant(1f), real)));
        }
        Operand<TFloat32> positions = tf.gather(
                g.weight("bert.embeddings.position_embeddings.weight", bert.maxPositions(), h),
                tf.range(tf.constant(0), length, tf.constant(1)), tf.constant(0));
        Operand<TFloat32> tokenTypes = tf.gather(
                g.weight("bert.embeddings.token_type_embeddings.weight", bert.typeVocabSize(), h),
                tf.reshape(segmentIds, tf.constant(new int[] {-1})), tf.constant(0));
        // Word and type rows are [B·T, h]; positions [T, h] repeat per sequence. The original's order of sums.
        Operand<TFloat32> sum = tf.math.add(tf.math.add(layers.toSequences(words, length, h), positions),
                layers.toSequences(tokenTypes, length, h));
        return layers.layerNorm(layers.toRows(sum, h), "bert.embeddings.LayerNorm", h, bert.layerNormEps());
    }
}
