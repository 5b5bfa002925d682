package org.mafstream.model.graph;

import org.mafstream.model.arch.BertShape;
import org.mafstream.model.arch.MafShape;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * MAF's text side (MTCCMBertForMMTokenClassificationCRF.forward in eval mode, without the CRF):
 * BERT over the tokens, image regions projected to the text width, text-to-image cross
 * attention, the matching (retain) score P, the token gate G and the emission classifier.
 * Weight names are the keys of the original {@code pytorch_model.bin}.
 *
 * <p>{@link Length#FIXED}: the original's 128 positions, all read by the matching classifier.
 * {@link Length#DYNAMIC}: the inputs' sequence axis is free; concat(S, cross) is zero-padded to
 * 128 positions for the matching classifier, which is the original graph only where nothing reads
 * those positions, i.e. a bundle whose image branch is disabled (the classifier's weight is zero).
 */
public final class MafTextGraph {
    private static final int L = MafShape.MAX_SEQ_LENGTH;

    /** Whether the sequence axis is MAF's fixed 128 or the batch's own length. */
    public enum Length { FIXED, DYNAMIC }

    /** The graph's inputs. */
    public record Inputs(Placeholder<TInt32> inputIds, Placeholder<TInt32> inputMask,
                         Placeholder<TInt32> segmentIds, Placeholder<TFloat32> regions) {}

    /**
     * Outputs ([B, T, ...] as the signatures give them), the intermediates the parity tests compare,
     * and BERT's output at [CLS] before the model's dropout ([B, H]: the pooler's input).
     */
    public record Outputs(
            Operand<TFloat32> emissions,
            Operand<TFloat32> retainScore,
            Operand<TFloat32> gateMean,
            Operand<TFloat32> embeddings,
            Operand<TFloat32> sequenceOutput,
            Operand<TFloat32> vis,
            Operand<TFloat32> crossAttentionSublayer,
            Operand<TFloat32> cross,
            Operand<TFloat32> crsLogits,
            Operand<TFloat32> gate,
            Operand<TFloat32> clsOutput) {}

    private final WeightedGraph g;
    private final Ops tf;
    private final Layers layers;
    private final MafShape shape;
    private final Length length;
    private final LowRankAdapters adapters;

    public MafTextGraph(WeightedGraph g, MafShape shape) {
        this(g, shape, Length.FIXED);
    }

    public MafTextGraph(WeightedGraph g, MafShape shape, Length length) {
        this(g, shape, length, LowRankAdapters.NONE);
    }

    /** @param adapters low-rank adapters (training graphs; a bundle has them merged into its weights) */
    public MafTextGraph(WeightedGraph g, MafShape shape, Length length, LowRankAdapters adapters) {
        this.g = g;
        this.tf = g.tf();
        this.layers = new Layers(g, adapters);
        this.shape = shape;
        this.length = length;
        this.adapters = adapters;
    }

    public Inputs inputs() {
        Shape tokens = Shape.of(-1, length == Length.FIXED ? L : -1);
        return new Inputs(
                tf.withName("input_ids").placeholder(TInt32.class, Placeholder.shape(tokens)),
                tf.withName("input_mask").placeholder(TInt32.class, Placeholder.shape(tokens)),
                tf.withName("segment_ids").placeholder(TInt32.class, Placeholder.shape(tokens)),
                tf.withName("regions").placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(-1, MafShape.REGIONS, shape.resnet().outputChannels()))));
    }

    /** Inference: no dropout, each sample's own cross-attention features. */
    public Outputs build(Inputs in) {
        return build(in, Training.NONE);
    }

    /**
     * How a training build differs from inference.
     *
     * @param bertDropout dropout inside BERT, or null
     * @param modelDropout the dropout the original applies outside BERT (on S, and in the cross-attention
     *     layer), or null
     * @param crossOrder row i of the cross-attention output that the matching classifier, the gate and
     *     the emissions read is row {@code crossOrder[i]} ([B] int32): the original's negatives (texts
     *     paired with another sample's image-attended features); null reads each sample's own.
     *     {@link Outputs#cross()} is always the unpermuted output.
     */
    public record Training(Dropout bertDropout, Dropout modelDropout, Operand<TInt32> crossOrder) {
        /** Inference. */
        public static final Training NONE = new Training(null, null, null);

        /** The text trainer's: BERT's dropout (or null for none), nothing else. */
        public static Training bertOnly(Dropout bertDropout) {
            return new Training(bertDropout, null, null);
        }
    }

    public Outputs build(Inputs in, Training training) {
        Dropout dropout = training.bertDropout();
        Dropout modelDropout = training.modelDropout();
        Operand<TInt32> crossOrder = training.crossOrder();
        BertShape bert = shape.bert();
        int h = bert.hiddenSize();
        int channels = shape.resnet().outputChannels();
        Operand<TInt32> t = length == Length.FIXED ? tf.constant(L)
                : tf.gather(tf.shape(in.inputIds()), tf.constant(1), tf.constant(0));
        Operand<TInt32> regions = tf.constant(MafShape.REGIONS);
        TransformerLayer transformer = new TransformerLayer(layers, tf, bert, Gelu.ERF, modelDropout);
        BertGraph.Outputs text = new BertGraph(g, bert, Gelu.ERF, adapters).build(in.inputIds(), in.inputMask(), in.segmentIds(), t,
                dropout, training != Training.NONE);
        Operand<TFloat32> s = modelDropout == null ? text.sequenceOutput() : modelDropout.rows(text.sequenceOutput(), h);

        Operand<TFloat32> vis = layers.linear(layers.toRows(in.regions(), channels), "vismap2text", channels, h);
        // The image mask is all ones (49 regions always present), so its additive mask is zero.
        TransformerLayer.Result crossLayer = transformer.apply(s, vis, null, "txt2img_attention.layer.0", t, regions);
        Operand<TFloat32> cross = crossLayer.output();
        Operand<TFloat32> pairedCross = crossOrder == null ? cross
                : layers.toRows(tf.gather(layers.toSequences(cross, t, h), crossOrder, tf.constant(0)), h);

        Operand<TFloat32> crsLogits = layers.linear(matchingFeatures(layers.concatLastAxis(s, pairedCross), t),
                "crs_classifier", shape.matchingFeatures(), 2);
        Operand<TFloat32> retain = tf.gather(tf.nn.softmax(crsLogits), tf.constant(1), tf.constant(1));

        Operand<TFloat32> scaledCross = layers.toRows(tf.math.mul(
                layers.toSequences(pairedCross, t, h), tf.reshape(retain, tf.constant(new int[] {-1, 1, 1}))), h);
        Operand<TFloat32> gate = tf.math.sigmoid(tf.math.add(
                layers.linear(s, "Gate_text", h, h), layers.linear(scaledCross, "Gate_image", h, h)));
        Operand<TFloat32> fused = layers.concatLastAxis(s, tf.math.mul(gate, scaledCross));
        Operand<TFloat32> emissions = layers.linear(fused, "classifier", 2 * h, shape.numLabels());
        Operand<TFloat32> gateMean = tf.math.mean(gate, tf.constant(-1), Mean.keepDims(false));

        return new Outputs(layers.toSequences(emissions, t, shape.numLabels()), retain,
                tf.reshape(gateMean, layers.shape(tf.constant(-1), t)),
                layers.toSequences(text.embeddings(), t, h), layers.toSequences(s, t, h),
                layers.toSequences(vis, regions, h), layers.toSequences(crossLayer.attentionOutput(), t, h),
                layers.toSequences(cross, t, h), crsLogits, layers.toSequences(gate, t, h),
                tf.gather(layers.toSequences(text.sequenceOutput(), t, h), tf.constant(0), tf.constant(1)));
    }

    /** concat(S, cross) rows [B·T, 2H] → [B, 128·2H], zero-padded past T when the length is dynamic. */
    private Operand<TFloat32> matchingFeatures(Operand<TFloat32> concatenated, Operand<TInt32> t) {
        if (length == Length.DYNAMIC) {
            Operand<TInt32> missing = tf.math.sub(tf.constant(L), t);
            Operand<TInt32> paddings = tf.reshape(layers.shape(tf.constant(0), tf.constant(0), tf.constant(0), missing,
                    tf.constant(0), tf.constant(0)), tf.constant(new int[] {3, 2}));
            concatenated = tf.pad(layers.toSequences(concatenated, t, 2 * shape.bert().hiddenSize()), paddings,
                    tf.constant(0f));
        }
        return tf.reshape(concatenated, tf.constant(new int[] {-1, shape.matchingFeatures()}));
    }
}
