package org.mafstream.model.graph;

import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ResNetShape;
import org.mafstream.model.weights.HeadParameters;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * MAF's training objective, as {@code MTCCMBertForMMTokenClassificationCRF.forward} computes it
 * with labels (mybert/gate_cl_modeling.py:1383-1395): λ·CRF + (1 − λ)·(CM + CA), on the outputs
 * of a {@link MafTextGraph} built at the fixed 128 positions with the negatives' cross order.
 * <ul>
 *   <li>CRF: the mean over sentences of the CRF's negative log-likelihood over all subword positions;
 *   <li>CM: cross-entropy of the matching classifier's logits against fed one-hot targets (1 =
 *       matched, 0 = a negative);
 *   <li>CA: {@link ContrastiveAlignment} between two MLPs on BERT's pooler output and on the
 *       pooled image.
 * </ul>
 */
public final class MafObjective {
    /**
     * The width {@code image_dense_cl} reads: ResNet-152's 2048 channels. A narrower encoder's
     * pooled features are zero-padded to it, as the tiny golden does.
     */
    public static final int ALIGNMENT_IMAGE_WIDTH = ResNetShape.RESNET_152.outputChannels();

    /**
     * The original's hyper-parameters (run_gate_cl.py's argparse defaults).
     *
     * @param lambda weight of the CRF term ({@code lamb}, 0.62); the auxiliary terms get 1 − λ
     * @param temperature CA's temperature ({@code temp}, 0.179)
     * @param textToImageWeight CA's weight of the text-to-image direction ({@code temp_lamb}, 0.7)
     */
    public record Weights(double lambda, double temperature, double textToImageWeight) {
        public static final Weights ORIGINAL = new Weights(0.62, 0.179, 0.7);

        public Weights {
            if (!(lambda >= 0 && lambda <= 1) || !(temperature > 0) || !(textToImageWeight >= 0 && textToImageWeight <= 1)) {
                throw new IllegalArgumentException("invalid objective weights: " + this);
            }
        }
    }

    /** What the caller feeds per batch, beside the text graph's inputs and the CRF's gold path. */
    public record Inputs(Placeholder<TFloat32> pooledImage, Placeholder<TFloat32> matchingTargets) {}

    /** The terms (scalars) and the intermediates the parity tests compare. */
    public record Terms(Operand<TFloat32> crf, Operand<TFloat32> matching, Operand<TFloat32> alignment,
                        Operand<TFloat32> total, Operand<TFloat32> pooledOutput, ContrastiveAlignment alignmentParts) {}

    private final Inputs inputs;
    private final CrfNegativeLogLikelihood crf;
    private final Terms terms;

    public MafObjective(WeightedGraph g, MafShape shape, MafTextGraph.Outputs text, Weights weights) {
        Ops tf = g.tf();
        Layers layers = new Layers(g);
        int h = shape.bert().hiddenSize();
        int labels = shape.numLabels();
        int channels = shape.resnet().outputChannels();
        inputs = new Inputs(
                tf.withName("pooled_image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, channels))),
                tf.withName("matching_targets").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2))));

        crf = new CrfNegativeLogLikelihood(tf, text.emissions(), tf.constant(MafShape.MAX_SEQ_LENGTH), labels,
                MafShape.MAX_SEQ_LENGTH, g.weight(HeadParameters.START, labels), g.weight(HeadParameters.END, labels),
                g.weight(HeadParameters.TRANSITIONS, labels, labels));

        // CrossEntropyLoss(mean): (1/B) Σ_b −log softmax(z_b)[target_b].
        Operand<TFloat32> matching = tf.math.neg(tf.math.mean(
                tf.sum(tf.math.mul(inputs.matchingTargets(), tf.nn.logSoftmax(text.crsLogits())), tf.constant(1)),
                tf.constant(0), Mean.keepDims(false)));

        // BertPooler: tanh(W·S[:, 0] + b) on BERT's own output.
        Operand<TFloat32> pooled = tf.math.tanh(layers.linear(text.clsOutput(), "bert.pooler.dense", h, h));
        Operand<TFloat32> textSide = layers.linear(tf.nn.relu(layers.linear(pooled, "text_dense_cl", h, h)),
                "text_ouput_cl", h, h);
        Operand<TFloat32> image = channels == ALIGNMENT_IMAGE_WIDTH ? inputs.pooledImage()
                : tf.pad(inputs.pooledImage(), tf.constant(new int[][] {{0, 0}, {0, ALIGNMENT_IMAGE_WIDTH - channels}}),
                        tf.constant(0f));
        Operand<TFloat32> imageSide = layers.linear(
                tf.nn.relu(layers.linear(image, "image_dense_cl", ALIGNMENT_IMAGE_WIDTH, h)), "image_output_cl", h, h);
        ContrastiveAlignment alignment = new ContrastiveAlignment(tf, textSide, imageSide, weights.temperature(),
                weights.textToImageWeight());

        // The original multiplies Python doubles into float32 tensors: λ and 1 − λ as float32.
        Operand<TFloat32> total = tf.math.add(
                tf.math.mul(tf.constant((float) weights.lambda()), crf.loss()),
                tf.math.mul(tf.constant((float) (1 - weights.lambda())), tf.math.add(matching, alignment.loss())));
        terms = new Terms(crf.loss(), matching, alignment.loss(), total, pooled, alignment);
    }

    public Inputs inputs() {
        return inputs;
    }

    /** The CRF term's gold-path feeds. */
    public CrfNegativeLogLikelihood.Gold gold() {
        return crf.gold();
    }

    public Terms terms() {
        return terms;
    }
}
