package org.mafstream.model.graph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.bundle.BundleLayout;
import org.mafstream.model.weights.WeightSource;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Builds, fills and exports the text SavedModel (signatures {@code maf} and {@code maf_debug}). */
public final class TextModel {
    /**
     * Changes whenever the exported graph does (ops, layouts, signatures), so that bundles
     * assembled on demand and cached by an earlier build are assembled again.
     */
    public static final int GRAPH_REVISION = 2;

    private TextModel() {}

    public static void export(MafShape shape, WeightSource weights, Path dir, Consumer<String> progress)
            throws IOException {
        export(shape, MafTextGraph.Length.FIXED, weights, dir, progress);
    }

    /** {@code length} DYNAMIC only for a bundle whose image branch is disabled (see {@link MafTextGraph}). */
    public static void export(MafShape shape, MafTextGraph.Length length, WeightSource weights, Path dir,
                              Consumer<String> progress) throws IOException {
        try (WeightedGraph g = new WeightedGraph()) {
            MafTextGraph maf = new MafTextGraph(g, shape, length);
            MafTextGraph.Inputs in = maf.inputs();
            MafTextGraph.Outputs out = maf.build(in);
            Ops tf = g.tf();
            Operand<TFloat32> emissions = tf.withName("emissions").identity(out.emissions());
            Operand<TFloat32> retain = tf.withName("retain_score").identity(out.retainScore());
            Operand<TFloat32> gateMean = tf.withName("gate_mean").identity(out.gateMean());

            Signature serving = inputs(Signature.builder().key(BundleLayout.TEXT_SIGNATURE), in)
                    .output("emissions", emissions)
                    .output("retain_score", retain)
                    .output("gate_mean", gateMean)
                    .build();
            Signature debug = inputs(Signature.builder().key(BundleLayout.TEXT_DEBUG_SIGNATURE), in)
                    .output("emissions", emissions)
                    .output("retain_score", retain)
                    .output("gate_mean", gateMean)
                    .output("embeddings", out.embeddings())
                    .output("sequence_output", out.sequenceOutput())
                    .output("vis", out.vis())
                    .output("cross_attention_sublayer", out.crossAttentionSublayer())
                    .output("cross", out.cross())
                    .output("crs_logits", out.crsLogits())
                    .output("gate", out.gate())
                    .build();
            SavedModels.fillAndExport(g, weights, dir, progress, serving, debug);
        }
    }

    private static Signature.Builder inputs(Signature.Builder builder, MafTextGraph.Inputs in) {
        return builder.input("input_ids", in.inputIds())
                .input("input_mask", in.inputMask())
                .input("segment_ids", in.segmentIds())
                .input("regions", in.regions());
    }
}
