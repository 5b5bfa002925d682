package org.mafstream.job.tools;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.bundle.BundleManifest;
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
        return bundle(null, randomShape, out);
    }

    /**
     * @param model a bundle directory, or null
     * @param randomShape when {@code model} is null: a random MAF of this size, or null for the
     *     trained text model
     */
    static Path bundle(Path model, MafShape randomShape, PrintStream out) throws IOException {
        if (model != null) {
            return model;
        }
        Engine.getEngine("TensorFlow");
        if (randomShape == null) {
            Path cache = Path.of(System.getProperty(CACHE_PROPERTY, "target/models"));
            out.printf("Model: %s (assembled under %s on the first run, under a minute)%n", TrainedTextModel.NAME, cache);
            return TrainedTextModel.bundle(TrainedTextModel.builtIn(), cache, new PrintStream(OutputStream.nullOutputStream()));
        }
        Path dir = Files.createTempDirectory("maf-demo-model").resolve("bundle");
        new BundleExporter(new PrintStream(OutputStream.nullOutputStream())).export(new ExportRequest(
                null, null, null, null, null, dir, randomShape == MafShape.BASE ? "maf-random-base" : "maf-random-tiny",
                "demo", randomShape, 42));
        return dir;
    }

    /** What the model is, with a warning for random weights and a note on a disabled image branch. */
    static void describe(PrintStream out, BundleManifest manifest) {
        out.printf(" Model: %s %s - %s%n", manifest.name(), manifest.version(), manifest.description());
        if (!manifest.trained()) {
            out.println(" !!! UNTRAINED MODEL: random weights. The pipeline is real, the entities are");
            out.println(" !!! meaningless. Drop --random-init for the trained text model, or pass --model DIR.");
        }
        if (!manifest.hasImageEncoder()) {
            out.println(" Image branch disabled: images are still fetched and checked (their status is");
            out.println(" reported), but the model reads the text only and its retain score is 0.");
        }
    }
}
