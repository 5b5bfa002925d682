package org.mafstream.model.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * The building blocks of MAF's graph, each computing exactly what the original PyTorch module
 * does in eval mode (dropout is the identity). PyTorch's weight layouts are kept, so a weight's
 * name and shape are those of the checkpoint key.
 */
public final class Layers {
    private static final float SQRT_2 = (float) Math.sqrt(2.0);

    private final WeightedGraph g;
    private final Ops tf;

    public Layers(WeightedGraph g) {
        this.g = g;
        this.tf = g.tf();
    }

    /** nn.Linear: x·Wᵀ + b over the last axis of x (any rank >= 2); W is [out, in]. */
    public Operand<TFloat32> linear(Operand<TFloat32> x, String prefix, int in, int out) {
        Operand<TFloat32> w = g.weight(prefix + ".weight", out, in);
        Operand<TFloat32> b = g.weight(prefix + ".bias", out);
        return tf.math.add(tf.train.batchMatMul(x, w, TFloat32.class, BatchMatMul.adjY(true)), b);
    }

    /** BertLayerNorm: γ ⊙ (x − μ)/sqrt(σ² + eps) + β over the last axis, biased variance. */
    public Operand<TFloat32> layerNorm(Operand<TFloat32> x, String prefix, int width, double eps) {
        Operand<TFloat32> gamma = g.weight(prefix + ".weight", width);
        Operand<TFloat32> beta = g.weight(prefix + ".bias", width);
        Operand<TFloat32> centered = tf.math.sub(x, tf.math.mean(x, tf.constant(-1), Mean.keepDims(true)));
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> normalized = tf.math.div(centered, tf.math.sqrt(tf.math.add(variance, tf.constant((float) eps))));
        return tf.math.add(tf.math.mul(gamma, normalized), beta);
    }

    /** GELU in the exact erf form the original BERT code uses (not the tanh approximation). */
    public Operand<TFloat32> gelu(Operand<TFloat32> x) {
        return gelu(x, Gelu.ERF);
    }

    public Operand<TFloat32> gelu(Operand<TFloat32> x, Gelu form) {
        if (form == Gelu.TANH) {
            Operand<TFloat32> inner = tf.math.mul(tf.constant((float) Math.sqrt(2 / Math.PI)),
                    tf.math.add(x, tf.math.mul(tf.constant(0.044715f), tf.math.pow(x, tf.constant(3.0f)))));
            return tf.math.mul(x, tf.math.mul(tf.constant(0.5f), tf.math.add(tf.constant(1.0f), tf.math.tanh(inner))));
        }
        Operand<TFloat32> cdf = tf.math.mul(tf.constant(0.5f),
                tf.math.add(tf.constant(1.0f), tf.math.erf(tf.math.div(x, tf.constant(SQRT_2)))));
        return tf.math.mul(x, cdf);
    }

    /** [B, T, H·d] → [B, heads, T, d]. */
    public Operand<TFloat32> splitHeads(Operand<TFloat32> x, int length, int heads, int headSize) {
        Operand<TFloat32> shaped = tf.reshape(x, tf.constant(new int[] {-1, length, heads, headSize}));
        return tf.linalg.transpose(shaped, tf.constant(new int[] {0, 2, 1, 3}));
    }

    /** [B, heads, T, d] → [B, T, H·d]. */
    public Operand<TFloat32> mergeHeads(Operand<TFloat32> x, int length, int width) {
        Operand<TFloat32> transposed = tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 1, 3}));
        return tf.reshape(transposed, tf.constant(new int[] {-1, length, width}));
    }

    public Operand<TFloat32> concatLastAxis(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.concat(List.of(a, b), tf.constant(-1));
    }
}
