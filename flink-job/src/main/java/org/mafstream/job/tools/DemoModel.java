package org.mafstream.job.tools;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.export.BundleExporter;
import org.mafstream.model.export.ExportRequest;

/**
 * The demo's model: {@code --model DIR} for a real bundle, otherwise a randomly initialised tiny
 * MAF exported on the spot (a second or two), which finds meaningless entities.
 */
final class DemoModel {
    private DemoModel() {}

    /** {@code --model DIR}, else a random bundle of {@code --random-init tiny|base} (default tiny). */
    static Path bundle(String[] args) throws IOException {
        MafShape shape = MafShape.TINY;
        for (int i = 0; i + 1 < args.length; i++) {
            if ("--model".equals(args[i])) {
                return Path.of(args[i + 1]);
            }
            if ("--random-init".equals(args[i])) {
                shape = "base".equals(args[i + 1]) ? MafShape.BASE : MafShape.TINY;
            }
        }
        Engine.getEngine("TensorFlow");
        Path dir = Files.createTempDirectory("maf-demo-model").resolve("bundle");
        new BundleExporter(new PrintStream(OutputStream.nullOutputStream())).export(new ExportRequest(
                null, null, null, null, null, dir, shape == MafShape.BASE ? "maf-random-base" : "maf-random-tiny",
                "demo", shape, 42));
        return dir;
    }
}
