package org.mafstream.job.tools;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.export.BundleExporter;
import org.mafstream.model.export.ExportRequest;
import org.mafstream.model.export.TrainedTextModel;

/**
 * The demo's model: by default the project's trained text-only MAF (heads trained on Twitter-2017
 * over bert-base-cased, assembled once under {@code target/models}); {@code --model DIR} for
 * another bundle; {@code --random-init tiny|base} for a randomly initialised MAF with both
 * branches, whose entities are meaningless.
 */
final class DemoModel {
    /** Where the trained bundle and the unpacked BERT module are kept between runs. */
    static final String CACHE_PROPERTY = "maf.models.dir";

    private DemoModel() {}

    static Path bundle(String[] args, PrintStream out) throws IOException {
        MafShape randomShape = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if ("--model".equals(args[i])) {
                return Path.of(args[i + 1]);
            }
            if ("--random-init".equals(args[i])) {
                randomShape = "base".equals(args[i + 1]) ? MafShape.BASE : MafShape.TINY;
            }
        }
        Engine.getEngine("TensorFlow");
        if (randomShape == null) {
            Path cache = Path.of(System.getProperty(CACHE_PROPERTY, "target/models"));
            out.printf("Model: %s (assembled under %s on the first run, under a minute)%n", TrainedTextModel.NAME, cache);
            return TrainedTextModel.bundle(TrainedTextModel.builtIn(), cache, new PrintStream(OutputStream.nullOutputStream()));
        }
        Path dir = ScratchDirectories.create("maf-demo-model").resolve("bundle");
        new BundleExporter(new PrintStream(OutputStream.nullOutputStream())).export(new ExportRequest(
                null, null, null, null, null, dir, randomShape == MafShape.BASE ? "maf-random-base" : "maf-random-tiny",
                "demo", randomShape, 42));
        return dir;
    }
}
