package org.mafstream.job.local;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mafstream.cli.InstallDirectory;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.job.JobOptions;
import org.mafstream.job.inference.ModelDevice;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.export.BundleExporter;
import org.mafstream.model.export.ExportRequest;
import org.mafstream.model.export.TrainedTextModel;

/**
 * The model of the demo, the soak and the job benchmark: by default the project's trained
 * text-only MAF (assembled once under {@link #cache()}); {@code --model DIR} for another bundle;
 * {@code --random-init tiny|base} for a randomly initialised MAF with both branches, whose
 * entities are meaningless.
 */
public final class DemoModel {
    /** Where the trained bundle and the unpacked BERT module are kept between runs. */
    static final String CACHE_PROPERTY = "maf.models.dir";

    /** The trained text model. */
    public static final Choice TRAINED = new Choice(null, null);

    private DemoModel() {}

    public static List<Option> options() {
        return List.of(
                Option.value("model", "DIR", "run this model bundle (default: the trained text-only MAF)"),
                Option.choice("random-init", List.of("tiny", "base"),
                        "run a randomly initialised MAF with both branches (meaningless entities)"));
    }

    /** What the command line asked for; at most one of the two is set. */
    public record Choice(Path bundle, MafShape randomShape) {
        public static Choice from(Parsed args) {
            if (args.has("model") && args.has("random-init")) {
                throw new UsageException("give --model or --random-init, not both");
            }
            if (args.has("random-init")) {
                return new Choice(null, args.required("random-init").equals("base") ? MafShape.BASE : MafShape.TINY);
            }
            Path bundle = args.path("model").orElse(null);
            if (bundle != null && !Files.isRegularFile(bundle.resolve(BundleManifest.FILE_NAME))) {
                throw new UsageException("--model " + bundle + " is not a model bundle: no "
                        + bundle.toAbsolutePath().resolve(BundleManifest.FILE_NAME));
            }
            return bundle == null ? TRAINED : new Choice(bundle, null);
        }
    }

    /** The bundle directory to run, exported or assembled first where needed. */
    public static Path bundle(Choice choice, PrintStream out) throws IOException {
        if (choice.bundle() != null) {
            return choice.bundle();
        }
        Engine.getEngine("TensorFlow");
        if (choice.randomShape() == null) {
            Path cache = cache();
            out.printf("Model: %s (assembled under %s on the first run, under a minute)%n", TrainedTextModel.NAME, cache);
            return TrainedTextModel.bundle(TrainedTextModel.builtIn(), cache, new PrintStream(OutputStream.nullOutputStream()));
        }
        MafShape shape = choice.randomShape();
        Path dir = ScratchDirectories.create("maf-demo-model").resolve("bundle");
        new BundleExporter(new PrintStream(OutputStream.nullOutputStream())).export(new ExportRequest(
                null, null, null, null, null, dir, shape == MafShape.BASE ? "maf-random-base" : "maf-random-tiny",
                "demo", shape, 42));
        return dir;
    }

    /** What the model is and where it runs, with a warning for random weights and a note on a disabled image branch. */
    static void describe(PrintStream out, BundleManifest manifest) {
        out.printf(" Model: %s %s - %s%n", manifest.name(), manifest.version(), manifest.description());
        out.printf(" Device: %s%n", ModelDevice.describe(JobOptions.MODEL_GPU_IDS.defaultValue()));
        if (!manifest.trained()) {
            out.println(" !!! UNTRAINED MODEL: random weights. The pipeline is real, the entities are");
            out.println(" !!! meaningless. Drop --random-init for the trained text model, or pass --model DIR.");
        }
        if (!manifest.hasImageEncoder()) {
            out.println(" Image branch disabled: images are still fetched and checked (their status is");
            out.println(" reported), but the model reads the text only and its retain score is 0.");
        }
    }

    /** {@value #CACHE_PROPERTY}, else {@code flink-job/target/models} of the installation, wherever the tool runs from. */
    public static Path cache() {
        String configured = System.getProperty(CACHE_PROPERTY);
        return configured != null ? Path.of(configured) : InstallDirectory.resolve(DemoModel.class, "flink-job/target/models");
    }
}
