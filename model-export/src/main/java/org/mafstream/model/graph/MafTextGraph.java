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
 */
public final class MafTextGraph {
    private static final int L = MafShape.MAX_SEQ_LENGTH;

    /** The graph's inputs. */
    public record Inputs(Placeholder<TInt32> inputIds, Placeholder<TInt32> inputMask,
                         Placeholder<TInt32> segmentIds, Placeholder<TFloat32> regions) {}

    /** Outputs, and the intermediates the parity tests compare. */
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
            Operand<TFloat32> gate) {}

    private final WeightedGraph g;
    private final Ops tf;
    private final Layers layers;
    private final MafShape shape;

    public MafTextGraph(WeightedGraph g, MafShape shape) {
        this.g = g;
        this.tf = g.tf();
        this.layers = new Layers(g);
        this.shape = shape;
    }

    public Inputs inputs() {
        Shape tokens = Shape.of(-1, L);
        return new Inputs(
                tf.withName("input_ids").placeholder(TInt32.class, Placeholder.shape(tokens)),
                tf.withName("input_mask").placeholder(TInt32.class, Placeholder.shape(tokens)),
                tf.withName("segment_ids").placeholder(TInt32.class, Placeholder.shape(tokens)),
                tf.withName("regions").placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(-1, MafShape.REGIONS, shape.resnet().outputChannels()))));
    }

    public Outputs build(Inputs in) {
        BertShape bert = shape.bert();
        int h = bert.hiddenSize();
        TransformerLayer transformer = new TransformerLayer(layers, tf, bert);
        BertGraph.Outputs text = new BertGraph(g, bert, Gelu.ERF).build(in.inputIds(), in.inputMask(), in.segmentIds(), L);
        Operand<TFloat32> embeddings = text.embeddings();
        Operand<TFloat32> s = text.sequenceOutput();

        Operand<TFloat32> vis = layers.linear(in.regions(), "vismap2text", shape.resnet().outputChannels(), h);
        // The image mask is all ones (49 regions always present), so its additive mask is zero.
        TransformerLayer.Result crossLayer = transformer.apply(s, vis, null, "txt2img_attention.layer.0", L, MafShape.REGIONS);
        Operand<TFloat32> cross = crossLayer.output();

        Operand<TFloat32> matching = tf.reshape(layers.concatLastAxis(s, cross), tf.constant(new int[] {-1, shape.matchingFeatures()}));
        Operand<TFloat32> crsLogits = layers.linear(matching, "crs_classifier", shape.matchingFeatures(), 2);
        Operand<TFloat32> retain = tf.gather(tf.nn.softmax(crsLogits), tf.constant(1), tf.constant(1));

        Operand<TFloat32> scaledCross = tf.math.mul(tf.reshape(retain, tf.constant(new int[] {-1, 1, 1})), cross);
        Operand<TFloat32> gate = tf.math.sigmoid(tf.math.add(
                layers.linear(s, "Gate_text", h, h), layers.linear(scaledCross, "Gate_image", h, h)));
        Operand<TFloat32> fused = layers.concatLastAxis(s, tf.math.mul(gate, scaledCross));
        Operand<TFloat32> emissions = layers.linear(fused, "classifier", 2 * h, shape.numLabels());
        Operand<TFloat32> gateMean = tf.math.mean(gate, tf.constant(-1), Mean.keepDims(false));

        return new Outputs(emissions, retain, gateMean, embeddings, s, vis,
                crossLayer.attentionOutput(), cross, crsLogits, gate);
    }
}
