package org.mafstream.model.bundle;

import java.nio.file.Path;

/**
 * Where things are in a bundle directory. Two SavedModels, so the image encoder and the text
 * model are loaded once each and no weights are held twice.
 */
public final class BundleLayout {
    public static final String TEXT_DIR = "text";
    public static final String IMAGE_DIR = "image";
    public static final String VOCAB_FILE = "vocab.txt";
    public static final String TEXT_SIGNATURE = "maf";
    public static final String TEXT_DEBUG_SIGNATURE = "maf_debug";
    public static final String IMAGE_SIGNATURE = "image_regions";

    private BundleLayout() {}

    public static Path textModel(Path bundle) {
        return bundle.resolve(TEXT_DIR);
    }

    public static Path imageModel(Path bundle) {
        return bundle.resolve(IMAGE_DIR);
    }

    public static Path vocab(Path bundle) {
        return bundle.resolve(VOCAB_FILE);
    }
}
