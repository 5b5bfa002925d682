package org.mafstream.model.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;

/**
 * MAF's cross-modal alignment (CA) term (mybert/gate_cl_modeling.py:1276-1316): with
 * c_ij = cos(t_i, v_j) / τ over the batch's texts t and images v, each sample's own pair is the
 * positive and every other sample of the batch a candidate:
 * text_to_image = Σ_i −log(exp c_ii / Σ_j exp c_ij), image_to_text = Σ_i −log(exp c_ii / Σ_j exp c_ji),
 * loss = (λc·text_to_image + (1 − λc)·image_to_text) / B.
 * Computed as the original does, a ratio of exps without shift or epsilon: |c| ≤ 1/τ keeps the
 * exps finite, and every op has a gradient in TensorFlow's C++ registry.
 */
public final class ContrastiveAlignment {
    private final Operand<TFloat32> textToImage;
    private final Operand<TFloat32> imageToText;
    private final Operand<TFloat32> loss;

    /** @param text, image [B, D] */
    ContrastiveAlignment(Ops tf, Operand<TFloat32> text, Operand<TFloat32> image, double temperature, double textWeight) {
        Operand<TFloat32> textNorms = norms(tf, text);
        Operand<TFloat32> imageNorms = norms(tf, image);
        Operand<TFloat32> scale = tf.constant((float) (1 / temperature));
        // exp(c_ij) [B, B]: row i a text, column j an image.
        Operand<TFloat32> dots = tf.linalg.matMul(text, image, org.tensorflow.op.linalg.MatMul.transposeB(true));
        Operand<TFloat32> exps = tf.math.exp(tf.math.mul(tf.math.div(dots,
                tf.linalg.matMul(textNorms, imageNorms, org.tensorflow.op.linalg.MatMul.transposeB(true))), scale));
        // exp(c_ii) [B, 1], from the row-wise dot products.
        Operand<TFloat32> own = tf.math.exp(tf.math.mul(tf.math.div(
                tf.sum(tf.math.mul(text, image), tf.constant(1), Sum.keepDims(true)),
                tf.math.mul(textNorms, imageNorms)), scale));
        Operand<TFloat32> overImages = tf.sum(exps, tf.constant(1), Sum.keepDims(true));
        Operand<TFloat32> overTexts = tf.reshape(tf.sum(exps, tf.constant(0)), tf.constant(new int[] {-1, 1}));
        textToImage = tf.math.neg(tf.sum(tf.math.log(tf.math.div(own, overImages)), tf.constant(new int[] {0, 1})));
        imageToText = tf.math.neg(tf.sum(tf.math.log(tf.math.div(own, overTexts)), tf.constant(new int[] {0, 1})));
        Operand<TFloat32> batch = tf.dtypes.cast(tf.gather(tf.shape(text), tf.constant(0), tf.constant(0)), TFloat32.class);
        loss = tf.math.div(tf.math.add(tf.math.mul(tf.constant((float) textWeight), textToImage),
                tf.math.mul(tf.constant((float) (1 - textWeight)), imageToText)), batch);
    }

    /** ‖x_i‖₂ per row: [B, 1]. */
    private static Operand<TFloat32> norms(Ops tf, Operand<TFloat32> x) {
        return tf.math.sqrt(tf.sum(tf.math.square(x), tf.constant(1), Sum.keepDims(true)));
    }

    /** Σ_i −log(exp c_ii / Σ_j exp c_ij), before 1/B and the weights (the golden's {@code ca_text_to_image}). */
    public Operand<TFloat32> textToImage() {
        return textToImage;
    }

    /** Σ_i −log(exp c_ii / Σ_j exp c_ji) (the golden's {@code ca_image_to_text}). */
    public Operand<TFloat32> imageToText() {
        return imageToText;
    }

    public Operand<TFloat32> loss() {
        return loss;
    }
}
