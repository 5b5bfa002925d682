package org.mafstream.model.export;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.pretrained.Vocabularies;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.Vocabulary;
import org.mafstream.model.train.FeatureSource;
import org.mafstream.model.train.FrozenBertFeatureSource;
import org.mafstream.model.train.HeadEvaluation;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.train.HeadTrainer;
import org.mafstream.model.train.PreparedDataSet;
import org.mafstream.model.scoring.SpanScores;
import org.mafstream.model.train.TextHead;
import org.mafstream.model.train.TrainOptions;
import org.mafstream.model.train.TrainingRecord;

/**
 * {@code java -jar model-export.jar train ...}: trains MAF's text-only head on frozen BERT
 * features of MAF/UMT CoNLL files and writes it as a {@link HeadParameters} directory. Exit code 0
 * on success, 1 on failure, 2 on bad arguments.
 */
public final class TrainCommand {
    static final String FEATURES = "bert-base-cased sequence output (frozen, do_lower_case false), max_seq_length "
            + MafShape.MAX_SEQ_LENGTH + ", positions 0..n-1";
    private static final List<String> LABELS = ModelConfig.TWITTER_LABELS;

    private TrainCommand() {}

    /** {@code model-export train}: see {@link TrainOptions#COMMAND_LINE}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, FrozenBertFeatureSource::new);
    }

    /** @param featureSources makes the feature source from the cache directory and a log */
    static int run(String[] args, PrintStream out, PrintStream err, BiFunction<Path, PrintStream, FeatureSource> featureSources) {
        ToolCommandLine.Startup<TrainOptions> startup = TrainOptions.COMMAND_LINE.settings("model-export train", args,
                TrainOptions::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        TrainOptions options = startup.settings();
        try {
            train(options, String.join(" ", args), out, featureSources.apply(options.cache(), out));
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("model-export train: failed: " + e.getMessage());
            return 1;
        }
    }

    private static void train(TrainOptions options, String arguments, PrintStream out, FeatureSource features) throws IOException {
        MafTextEncoder encoder = new MafTextEncoder(vocabulary(options.vocab()), false, MafShape.MAX_SEQ_LENGTH);
        PreparedDataSet train = PreparedDataSet.load("train", options.train(), encoder, LABELS, features, out);
        PreparedDataSet valid = PreparedDataSet.load("valid", options.valid(), encoder, LABELS, features, out);
        PreparedDataSet test = options.test() == null ? null
                : PreparedDataSet.load("test", options.test(), encoder, LABELS, features, out);

        long start = System.nanoTime();
        HeadTrainer.Outcome outcome = new HeadTrainer(options.settings(), LABELS, options.threads(), out)
                .train(train.sentences(), valid.sentences());
        double seconds = (System.nanoTime() - start) / 1e9;

        // Score what is stored: the float32 parameters, read back as the runtime reads them.
        TextHead stored = TextHead.from(outcome.head().toParameters(LABELS, null));
        SpanScores validScores = HeadEvaluation.evaluate(stored, valid.sentences(), LABELS);
        SpanScores testScores = test == null ? null : HeadEvaluation.evaluate(stored, test.sentences(), LABELS);

        TrainingRecord record = new TrainingRecord(FEATURES,
                test == null ? List.of(train.file(), valid.file()) : List.of(train.file(), valid.file(), test.file()),
                "java -jar model-export.jar train " + arguments, options.settings().seed(), options.settings(),
                outcome.epochs().size(), outcome.bestEpoch(),
                outcome.epochs().stream().map(HeadTrainer.EpochReport::meanLoss).toList(),
                outcome.epochs().stream().map(e -> e.valid().f1()).toList(),
                TrainingRecord.Scores.of(validScores), TrainingRecord.Scores.of(testScores), seconds, Instant.now().toString());
        outcome.head().toParameters(LABELS, record.toJson()).write(options.out());

        out.printf(java.util.Locale.ROOT, "best epoch %d of %d, trained in %.1f s%n", outcome.bestEpoch(), outcome.epochs().size(), seconds);
        out.print("valid\n" + validScores.format());
        if (testScores != null) {
            out.print("test\n" + testScores.format());
        }
        out.println("wrote " + options.out().resolve(HeadParameters.MANIFEST) + " and " + HeadParameters.BINARY);
    }

    static Vocabulary vocabulary(Path vocab) throws IOException {
        if (vocab != null) {
            return Vocabulary.load(vocab);
        }
        Path copy = Files.createTempFile("bert-base-cased-vocab", ".txt");
        try {
            Vocabularies.copyBertBaseCased(copy);
            return Vocabulary.load(copy);
        } finally {
            Files.deleteIfExists(copy);
        }
    }
}
