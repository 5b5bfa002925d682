package org.mafstream.model.graph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.mafstream.model.weights.WeightSource;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;

/** Fills a graph's variables in a fresh session and writes it as a SavedModel (tag "serve"). */
final class SavedModels {
    private SavedModels() {}

    static void fillAndExport(WeightedGraph g, WeightSource weights, Path dir, Consumer<String> progress,
                              Signature... signatures) throws IOException {
        try (Session session = new Session(g.graph())) {
            g.fill(session, weights, progress);
            SavedModelBundle.exporter(dir.toString())
                    .withTags(SavedModelBundle.DEFAULT_TAG)
                    .withSession(session)
                    .withSignatures(signatures)
                    .export();
        }
    }
}
