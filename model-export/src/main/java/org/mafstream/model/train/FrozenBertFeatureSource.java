package org.mafstream.model.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.mafstream.model.text.EncodedText;

/** bert-base-cased's sequence output, cached under a directory. */
public final class FrozenBertFeatureSource implements FeatureSource {
    private final Path cacheDir;
    private final PrintStream log;

    public FrozenBertFeatureSource(Path cacheDir, PrintStream log) {
        this.cacheDir = cacheDir;
        this.log = log;
    }

    @Override
    public SentenceFeatures load(String name, List<EncodedText> sentences, String dataSha256) throws IOException {
        return FrozenBertFeatures.load(cacheDir, name, sentences, dataSha256, log);
    }
}
