package org.mafstream.model.graph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.mafstream.model.arch.ResNetShape;
import org.mafstream.model.bundle.BundleLayout;
import org.mafstream.model.weights.WeightSource;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Builds, fills and exports the image SavedModel (signature {@code image_regions}). */
public final class ImageEncoderModel {
    private ImageEncoderModel() {}

    public static void export(ResNetShape shape, WeightSource weights, Path dir, Consumer<String> progress)
            throws IOException {
        try (WeightedGraph g = new WeightedGraph()) {
            ResNetGraph resnet = new ResNetGraph(g, shape);
            Placeholder<TFloat32> pixels = resnet.input();
            Operand<TFloat32> regions = g.tf().withName("regions").identity(resnet.regions(pixels));
            Signature signature = Signature.builder().key(BundleLayout.IMAGE_SIGNATURE)
                    .input("pixels", pixels).output("regions", regions).build();
            SavedModels.fillAndExport(g, weights, dir, progress, signature);
        }
    }
}
