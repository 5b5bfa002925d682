package org.mafstream.job.testing;

import ai.djl.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mafstream.model.export.BundleExporter;
import org.mafstream.model.export.ExportRequest;
import org.mafstream.model.testing.Fixtures;

/**
 * The maf-tiny fixture checkpoint (written by the original PyTorch code) exported once per test
 * JVM into a temporary bundle: a real model, small enough for unit tests.
 */
public final class TinyBundle {
    private static Path bundle;

    private TinyBundle() {}

    public static synchronized Path path() {
        if (bundle == null) {
            try {
                Engine.getEngine("TensorFlow");
                // under the build's target/ (surefire runs in the module's directory): nothing left elsewhere
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "maf-tiny-bundle");
                Path fixture = Fixtures.mafTiny();
                new BundleExporter(new PrintStream(new ByteArrayOutputStream())).export(new ExportRequest(
                        fixture.resolve("pytorch_model.bin"), fixture.resolve("pytorch_encoder.bin"),
                        fixture.resolve("config.json"), fixture.resolve("model_config.json"),
                        null, dir.resolve("bundle"), "maf-tiny", "fixture", null, 0));
                bundle = dir.resolve("bundle");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bundle;
    }
}
