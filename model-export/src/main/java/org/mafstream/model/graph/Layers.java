package org.mafstream.model.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The building blocks of MAF's graph, each computing exactly what the original PyTorch module
 * does in eval mode (dropout is the identity). PyTorch's weight layouts are kept, so a weight's
 * name and shape are those of the checkpoint key.
 *
 * <p>Sequences are kept as rows, [B·T, width], as Google's BERT graph keeps them: every
 * nn.Linear is then one 2-D MatMul (the fastest op TensorFlow has on CPU and GPU), and every op
 * used has a gradient in TensorFlow's C++ registry ({@code Graph.addGradients}), which the
 * broadcasting BatchMatMulV2/V3 do not.
 */
public final class Layers {
    private static final float SQRT_HALF = (float) Math.sqrt(0.5);

    private static final int[] HEADS_FIRST = {0, 2, 1, 3};

    private final WeightedGraph g;
    private final Ops tf;
    private final LowRankAdapters adapters;

    public Layers(WeightedGraph g) {
        this(g, LowRankAdapters.NONE);
    }

    public Layers(WeightedGraph g, LowRankAdapters adapters) {
        this.g = g;
        this.tf = g.tf();
        this.adapters = adapters;
    }

    /**
     * nn.Linear over rows: x [N, in] · Wᵀ + b → [N, out]; W [out, in] is held as its transpose.
     * A layer the adapters cover adds (alpha/r)·(x·Aᵀ)·Bᵀ.
     */
    public Operand<TFloat32> linear(Operand<TFloat32> x, String prefix, int in, int out) {
        Operand<TFloat32> kernel = g.linearKernel(prefix + ".weight", out, in);
        Operand<TFloat32> b = g.weight(prefix + ".bias", out);
        Operand<TFloat32> y = tf.nn.biasAdd(tf.linalg.matMul(x, kernel), b);
        if (!adapters.covers().test(prefix)) {
            return y;
        }
        int r = adapters.rank();
        Operand<TFloat32> down = tf.linalg.matMul(x, g.linearKernel(prefix + LowRankAdapters.A_SUFFIX, r, in));
        Operand<TFloat32> up = tf.linalg.matMul(down, g.linearKernel(prefix + LowRankAdapters.B_SUFFIX, out, r));
        return tf.math.add(y, tf.math.mul(up, tf.constant(adapters.scale())));
    }

    /** BertLayerNorm: γ ⊙ (x − μ)/sqrt(σ² + eps) + β over the last axis, biased variance. */
    public Operand<TFloat32> layerNorm(Operand<TFloat32> x, String prefix, int width, double eps) {
        Operand<TFloat32> gamma = g.weight(prefix + ".weight", width);
        Operand<TFloat32> beta = g.weight(prefix + ".bias", width);
        Operand<TFloat32> centered = tf.math.sub(x, tf.math.mean(x, tf.constant(-1), Mean.keepDims(true)));
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> normalized = tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant((float) eps))));
        return tf.math.add(tf.math.mul(normalized, gamma), beta);
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
        // Written as x · (0.5 · (erf(x · √½) + 1)), the shape TensorFlow's CPU remapper fuses into
        // the preceding MatMul + BiasAdd (one pass over the activations instead of five).
        Operand<TFloat32> halfCdf = tf.math.mul(
                tf.math.add(tf.math.erf(tf.math.mul(x, tf.constant(SQRT_HALF))), tf.constant(1.0f)), tf.constant(0.5f));
        return tf.math.mul(halfCdf, x);
    }

    /** Rows [B·T, H·d] → [B, heads, T, d]. */
    public Operand<TFloat32> splitHeads(Operand<TFloat32> rows, Operand<TInt32> length, int heads, int headSize) {
        Operand<TFloat32> shaped = tf.reshape(rows, shape(tf.constant(-1), length, tf.constant(heads), tf.constant(headSize)));
        return tf.linalg.transpose(shaped, tf.constant(HEADS_FIRST));
    }

    /** [B, heads, T, d] → rows [B·T, H·d]. */
    public Operand<TFloat32> mergeHeads(Operand<TFloat32> x, int width) {
        return tf.reshape(tf.linalg.transpose(x, tf.constant(HEADS_FIRST)), tf.constant(new int[] {-1, width}));
    }

    /**
     * x · y (or x · yᵀ) over the last two axes of same-shaped batches, as the V1 {@code BatchMatMul}
     * op: unlike V2/V3 (what {@code tf.train.batchMatMul} builds) it has a registered gradient,
     * and oneDNN runs it as one batched GEMM (Einsum adds transposes of its own and runs slower).
     */
    public Operand<TFloat32> batchMatMul(Operand<TFloat32> x, Operand<TFloat32> y, boolean adjointY) {
        Operation op = tf.scope().opBuilder("BatchMatMul", "BatchMatMul")
                .addInput(x.asOutput())
                .addInput(y.asOutput())
                .setAttr("adj_x", false)
                .setAttr("adj_y", adjointY)
                .build();
        return op.output(0);
    }

    /** Rows [B·T, width] → [B, T, width]. */
    public Operand<TFloat32> toSequences(Operand<TFloat32> rows, Operand<TInt32> length, int width) {
        return tf.reshape(rows, shape(tf.constant(-1), length, tf.constant(width)));
    }

    /** [..., width] → rows [N, width]. */
    public Operand<TFloat32> toRows(Operand<TFloat32> x, int width) {
        return tf.reshape(x, tf.constant(new int[] {-1, width}));
    }

    @SafeVarargs
    public final Operand<TInt32> shape(Operand<TInt32>... dims) {
        return tf.stack(List.of(dims));
    }

    public Operand<TFloat32> concatLastAxis(Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.concat(List.of(a, b), tf.constant(-1));
    }
}
