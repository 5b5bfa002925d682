package org.mafstream.model.graph;

import org.mafstream.model.arch.BertShape;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One BertLayer: multi-head attention from {@code query} over {@code keyValue}, residual and
 * LayerNorm, then the GELU feed-forward block, residual and LayerNorm. With query = keyValue it is
 * a BERT self-attention layer; MAF's text-to-image cross layer is the same module with queries
 * from the text and keys/values from the image regions. Inputs and outputs are rows [B·T, H].
 */
public final class TransformerLayer {
    private final Layers layers;
    private final Ops tf;
    private final BertShape shape;
    private final Gelu gelu;
    private final Dropout dropout;

    /** The layer's result and, for parity checks, the output of its attention sub-layer (rows). */
    public record Result(Operand<TFloat32> attentionOutput, Operand<TFloat32> output) {}

    public TransformerLayer(Layers layers, Ops tf, BertShape shape) {
        this(layers, tf, shape, Gelu.ERF);
    }

    public TransformerLayer(Layers layers, Ops tf, BertShape shape, Gelu gelu) {
        this(layers, tf, shape, gelu, null);
    }

    /** @param dropout BERT's attention and hidden dropout (training graphs), or null for none (inference) */
    public TransformerLayer(Layers layers, Ops tf, BertShape shape, Gelu gelu, Dropout dropout) {
        this.layers = layers;
        this.tf = tf;
        this.shape = shape;
        this.gelu = gelu;
        this.dropout = dropout;
    }

    /**
     * @param query rows [B·queryLength, H]
     * @param keyValue rows [B·keyLength, H]
     * @param additiveMask [B, 1, 1, keyLength] added to the attention scores, or null for none
     */
    public Result apply(Operand<TFloat32> query, Operand<TFloat32> keyValue, Operand<TFloat32> additiveMask,
                        String prefix, Operand<TInt32> queryLength, Operand<TInt32> keyLength) {
        int h = shape.hiddenSize();
        int heads = shape.numHeads();
        int d = shape.headSize();
        String self = prefix + ".attention.self";
        Operand<TFloat32> q = layers.splitHeads(layers.linear(query, self + ".query", h, h), queryLength, heads, d);
        Operand<TFloat32> k = layers.splitHeads(layers.linear(keyValue, self + ".key", h, h), keyLength, heads, d);
        Operand<TFloat32> v = layers.splitHeads(layers.linear(keyValue, self + ".value", h, h), keyLength, heads, d);

        Operand<TFloat32> scores = tf.math.mul(layers.batchMatMul(q, k, true), tf.constant((float) (1 / Math.sqrt(d))));
        if (additiveMask != null) {
            scores = tf.math.add(scores, additiveMask);
        }
        Operand<TFloat32> probabilities = tf.nn.softmax(scores);
        if (dropout != null) {
            probabilities = dropout.attention(probabilities, heads, queryLength, keyLength);
        }
        Operand<TFloat32> context = layers.mergeHeads(layers.batchMatMul(probabilities, v, false), h);

        double eps = shape.layerNormEps();
        Operand<TFloat32> attention = layers.layerNorm(
                tf.math.add(hiddenDropout(layers.linear(context, prefix + ".attention.output.dense", h, h)), query),
                prefix + ".attention.output.LayerNorm", h, eps);
        Operand<TFloat32> intermediate = layers.gelu(
                layers.linear(attention, prefix + ".intermediate.dense", h, shape.intermediateSize()), gelu);
        Operand<TFloat32> output = layers.layerNorm(
                tf.math.add(hiddenDropout(layers.linear(intermediate, prefix + ".output.dense", shape.intermediateSize(), h)),
                        attention),
                prefix + ".output.LayerNorm", h, eps);
        return new Result(attention, output);
    }

    private Operand<TFloat32> hiddenDropout(Operand<TFloat32> rows) {
        return dropout == null ? rows : dropout.rows(rows, shape.hiddenSize());
    }
}
