package org.mafstream.model.export;

import org.mafstream.model.graph.DisabledImageBranch;
import org.mafstream.model.weights.WeightSource;

/**
 * The weights of a text-only MAF graph: BERT's from {@code bert}, the image branch's disabled
 * ({@link DisabledImageBranch}: retain score 0), the classifier's and CRF's from {@code heads}.
 */
public final class TextOnlyWeights {
    private TextOnlyWeights() {}

    public static WeightSource of(WeightSource bert, WeightSource heads) {
        DisabledImageBranch image = new DisabledImageBranch();
        return (key, shape) -> key.startsWith("bert.") ? bert.read(key, shape)
                : DisabledImageBranch.owns(key) ? image.read(key, shape)
                : heads.read(key, shape);
    }
}
