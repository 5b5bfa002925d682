package org.mafstream.model.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Inverted dropout for training graphs: each site keeps a value with probability 1 − rate and
 * scales it by 1/(1 − rate). Masks come from stateless random ops keyed by a fed seed [2] plus
 * the site's number, so a step is reproducible (a resumed run draws the masks it would have
 * drawn), and their shapes come from the token ids, so no gradient path runs through the masks.
 */
public final class Dropout {
    private final Ops tf;
    private final float rate;
    private final Operand<TInt64> seed;
    private final Operand<TInt32> batch;
    private final Operand<TInt32> rows;
    private int sites;

    /**
     * @param seed a [2] int64 placeholder, fed per step
     * @param tokenIds [B, T] token ids: the batch and row counts of every mask
     */
    public Dropout(Ops tf, float rate, Operand<TInt64> seed, Operand<TInt32> tokenIds) {
        if (rate <= 0 || rate >= 1) {
            throw new IllegalArgumentException("dropout rate must be in (0, 1), got " + rate);
        }
        this.tf = tf;
        this.rate = rate;
        this.seed = seed;
        this.batch = tf.gather(tf.shape(tokenIds), tf.constant(0), tf.constant(0));
        this.rows = tf.size(tokenIds);
    }

    /** Dropout over rows [B·T, width]. */
    Operand<TFloat32> rows(Operand<TFloat32> x, int width) {
        return apply(x, tf.stack(List.of(rows, tf.constant(width))));
    }

    /** Dropout over attention probabilities [B, heads, queries, keys]. */
    Operand<TFloat32> attention(Operand<TFloat32> probabilities, int heads, Operand<TInt32> queries, Operand<TInt32> keys) {
        return apply(probabilities, tf.stack(List.of(batch, tf.constant(heads), queries, keys)));
    }

    private Operand<TFloat32> apply(Operand<TFloat32> x, Operand<TInt32> shape) {
        Operand<TInt64> siteSeed = tf.math.add(seed, tf.constant(new long[] {0, ++sites}));
        Operand<TFloat32> uniform = tf.random.statelessRandomUniform(shape, siteSeed);
        Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
        return tf.math.mul(x, tf.math.mul(keep, tf.constant(1 / (1 - rate))));
    }
}
