package org.mafstream.job.testing;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.mafstream.model.export.TrainedTextModel;

/**
 * The project's trained text-only model (committed heads + bert-base-cased), assembled once
 * under {@code target/models}, the directory the demo uses too, so CI assembles it once.
 */
public final class TrainedTextBundle {
    public static final Path MODELS = Path.of("target", "models");

    private static Path bundle;

    private TrainedTextBundle() {}

    public static synchronized Path path() {
        if (bundle == null) {
            try {
                Engine.getEngine("TensorFlow");
                bundle = TrainedTextModel.bundle(TrainedTextModel.builtIn(), MODELS,
                        new PrintStream(OutputStream.nullOutputStream()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bundle;
    }
}
