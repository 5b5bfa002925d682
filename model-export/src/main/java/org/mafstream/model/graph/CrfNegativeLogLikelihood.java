package org.mafstream.model.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * pytorch-crf's negative log-likelihood, mean over the batch, built in the graph so that one
 * session run gives a training step's loss and every gradient (a loss computed outside the graph
 * needs a second forward pass to seed the backward one).
 *
 * <p>The gold path's score is linear in the parameters, so its parts are fed as counts computed
 * in Java: a one-hot row per real position, the first and last tags and the transition counts,
 * summed over the batch. log Z is the forward algorithm unrolled over {@code maxLength} positions
 * (emissions zero-padded to it); a sentence's α stops changing after its last real position, as
 * the per-position mask says. Every op has a gradient in TensorFlow's C++ registry.
 */
public final class CrfNegativeLogLikelihood {

    /**
     * What the caller feeds per batch of B sentences of (padded) length T, over L labels.
     *
     * @param tags [B, T, L]: 1 at each real position's gold tag; rows past a sentence's length 0
     * @param positions [B, maxLength]: 1 at real positions, else 0
     * @param firstTags [L]: how many sentences start with each tag
     * @param lastTags [L]: how many sentences end with each tag
     * @param transitionCounts [L, L]: how often tag i is followed by tag j, over the batch
     */
    public record Gold(Placeholder<TFloat32> tags, Placeholder<TFloat32> positions, Placeholder<TFloat32> firstTags,
                       Placeholder<TFloat32> lastTags, Placeholder<TFloat32> transitionCounts) {}

    private final Gold gold;
    private final Operand<TFloat32> loss;

    /**
     * @param emissions [B, T, L], T at most {@code maxLength}
     * @param length T
     * @param start [L], end [L] and transitions [L, L] ([i][j]: tag i followed by tag j): the CRF's variables
     */
    public CrfNegativeLogLikelihood(Ops tf, Operand<TFloat32> emissions, Operand<TInt32> length, int labels, int maxLength,
                                    Operand<TFloat32> start, Operand<TFloat32> end, Operand<TFloat32> transitions) {
        gold = new Gold(
                tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, labels))),
                tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, maxLength))),
                tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(labels))),
                tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(labels))),
                tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(labels, labels))));

        Operand<TInt32> paddings = tf.reshape(tf.stack(List.of(tf.constant(0), tf.constant(0), tf.constant(0),
                tf.math.sub(tf.constant(maxLength), length), tf.constant(0), tf.constant(0))), tf.constant(new int[] {3, 2}));
        Operand<TFloat32> padded = tf.pad(emissions, paddings, tf.constant(0f));
        Operand<TInt32> sequenceAxis = tf.constant(1);
        Operand<TFloat32> alpha = tf.math.add(start, tf.gather(padded, tf.constant(0), sequenceAxis));
        for (int t = 1; t < maxLength; t++) {
            Operand<TFloat32> scores = tf.math.add(tf.math.add(
                    tf.reshape(alpha, tf.constant(new int[] {-1, labels, 1})), transitions),
                    tf.reshape(tf.gather(padded, tf.constant(t), sequenceAxis), tf.constant(new int[] {-1, 1, labels})));
            Operand<TFloat32> next = logSumExp(tf, scores, 1, labels);
            Operand<TFloat32> real = tf.reshape(tf.gather(gold.positions(), tf.constant(t), sequenceAxis),
                    tf.constant(new int[] {-1, 1}));
            alpha = tf.math.add(alpha, tf.math.mul(real, tf.math.sub(next, alpha)));
        }
        Operand<TFloat32> logPartition = logSumExp(tf,
                tf.reshape(tf.math.add(alpha, end), tf.constant(new int[] {-1, labels, 1})), 1, 1);

        Operand<TFloat32> goldScore = tf.math.add(tf.math.add(
                tf.sum(tf.math.mul(emissions, gold.tags()), tf.constant(new int[] {0, 1, 2})),
                tf.sum(tf.math.mul(transitions, gold.transitionCounts()), tf.constant(new int[] {0, 1}))),
                tf.math.add(tf.sum(tf.math.mul(start, gold.firstTags()), tf.constant(0)),
                        tf.sum(tf.math.mul(end, gold.lastTags()), tf.constant(0))));
        Operand<TFloat32> sentences = tf.dtypes.cast(tf.gather(tf.shape(gold.positions()), tf.constant(0), tf.constant(0)),
                TFloat32.class);
        loss = tf.math.div(tf.math.sub(tf.sum(logPartition, tf.constant(new int[] {0, 1})), goldScore), sentences);
    }

    /** log Σ exp over {@code axis} of x [B, n, m], shifted by the maximum: [B, m]. */
    private static Operand<TFloat32> logSumExp(Ops tf, Operand<TFloat32> x, int axis, int width) {
        Operand<TFloat32> max = tf.max(x, tf.constant(axis), Max.keepDims(true));
        Operand<TFloat32> sum = tf.sum(tf.math.exp(tf.math.sub(x, max)), tf.constant(axis));
        return tf.math.add(tf.reshape(max, tf.constant(new int[] {-1, width})), tf.math.log(sum));
    }

    public Gold gold() {
        return gold;
    }

    /** The mean NLL over the batch's sentences: a scalar. */
    public Operand<TFloat32> loss() {
        return loss;
    }
}
