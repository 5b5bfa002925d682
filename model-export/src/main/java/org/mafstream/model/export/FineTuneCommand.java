package org.mafstream.model.export;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.bundle.Sha256;
import org.mafstream.model.export.TextOnlyWeights;
import org.mafstream.model.export.TrainedTextModel;
import org.mafstream.model.graph.RandomWeights;
import org.mafstream.model.weights.WeightSource;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.pretrained.GoogleBertWeights;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.train.FineTuneOptions;
import org.mafstream.model.train.FineTuneSettings;
import org.mafstream.model.train.FineTuner;
import org.mafstream.model.train.TrainingLoop;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.scoring.SpanScores;
import org.mafstream.model.weights.TensorFile;
import org.mafstream.model.train.TextHead;
import org.mafstream.model.train.TextTrainingGraph;
import org.mafstream.model.train.TokenSentences;
import org.mafstream.model.train.TrainingRecord;

/**
 * {@code java -jar model-export.jar fine-tune ...}: fine-tunes BERT and MAF's text head
 * ({@link FineTuner}) and writes what was trained as a heads directory ({@link HeadParameters})
 * plus {@value #ADAPTERS}.{bin,json} ({@link TensorFile}: the adapters and the BERT weights that
 * trained), with the whole run's record. Exit code 0 on success, 1 on failure, 2 on bad arguments.
 */
public final class FineTuneCommand {
    public static final String ADAPTERS = "adapters";
    private static final List<String> LABELS = ModelConfig.TWITTER_LABELS;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FineTuneCommand() {}

    /** {@code model-export fine-tune}: see {@link FineTuneOptions#COMMAND_LINE}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ToolCommandLine.Startup<FineTuneOptions> startup = FineTuneOptions.COMMAND_LINE.settings("model-export fine-tune",
                args, FineTuneOptions::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        FineTuneOptions options = startup.settings();
        try {
            Engine.getEngine("TensorFlow"); // loads the native libraries before org.tensorflow is used
            fineTune(options, "java -jar model-export.jar fine-tune " + String.join(" ", args), out);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("model-export fine-tune: failed: " + e);
            return 1;
        }
    }

    private static void fineTune(FineTuneOptions options, String commandLine, PrintStream log) throws IOException {
        MafTextEncoder encoder = new MafTextEncoder(TrainCommand.vocabulary(null), false, MafShape.MAX_SEQ_LENGTH);
        List<TokenSentences> trainParts = new ArrayList<>();
        for (Path file : options.train()) {
            trainParts.add(TokenSentences.read("train", file, encoder, LABELS, log));
        }
        List<TokenSentences> valid = new ArrayList<>();
        for (Path file : options.valid()) {
            valid.add(TokenSentences.read("valid", file, encoder, LABELS, log));
        }
        TokenSentences test = options.test() == null ? null : TokenSentences.read("test", options.test(), encoder, LABELS, log);
        TokenSentences train = TokenSentences.concatenate("train", trainParts);

        FineTuneSettings settings = options.settings();
        MafShape shape = options.tinyRandomBert() ? MafShape.TINY : MafShape.BASE;
        GoogleBertWeights google = options.tinyRandomBert() ? null
                : new GoogleBertWeights(EasyBertModule.unpack(options.bertCache()).variablesPrefix());
        try (TextTrainingGraph graph = new TextTrainingGraph(shape, settings.adapters(), settings.dropout(),
                initialWeights(options, google, shape), settings.trainable())) {
            TrainingLoop.Outcome outcome = new FineTuner(settings, LABELS, options.checkpoints(), log)
                    .train(graph, train, valid, options.resume());
            Map<String, float[]> kept = new LinkedHashMap<>();
            outcome.best().tensors().forEach((key, tensor) -> kept.put(key, tensor.values()));
            graph.assignAllStored(kept);
            Map<String, TrainingRecord.Scores> validScores = new LinkedHashMap<>();
            for (TokenSentences set : valid) {
                SpanScores scores = FineTuner.evaluate(graph, set, LABELS);
                validScores.put(set.name(), TrainingRecord.Scores.of(scores));
                log.print(set.name() + " (kept epoch " + outcome.progress().bestEpoch() + ")\n" + scores.format());
            }
            SpanScores testScores = test == null ? null : FineTuner.evaluate(graph, test, LABELS);
            if (testScores != null) {
                log.print(test.name() + " (kept epoch, reported only)\n" + testScores.format());
            }
            ObjectNode record = record(options, commandLine, trainParts, valid, test, outcome, validScores,
                    TrainingRecord.Scores.of(testScores));
            write(outcome.best(), shape, record, options.out(), log);
            log.println("wrote " + options.out() + ": " + HeadParameters.MANIFEST + ", " + HeadParameters.BINARY + ", "
                    + ADAPTERS + ".json, " + ADAPTERS + ".bin");
        } finally {
            if (google != null) {
                google.close();
            }
        }
    }

    /** BERT from bert-base-cased (or random, tiny), new adapters, the image branch disabled, the chosen heads. */
    private static WeightSource initialWeights(FineTuneOptions options, GoogleBertWeights google, MafShape shape)
            throws IOException {
        WeightSource bert = google != null ? google : new RandomWeights(options.settings().seed());
        WeightSource heads = switch (options.initialHeads()) {
            case "builtin" -> TrainedTextModel.baselineHeads();
            case "random" -> TextHead.initialised(shape.numLabels(), shape.bert().hiddenSize(), options.settings().seed())
                    .toParameters(LABELS, null);
            default -> HeadParameters.read(Path.of(options.initialHeads()));
        };
        long seed = options.settings().seed();
        WeightSource bertWithAdapters = (key, keyShape) -> FineTuneSettings.isAdapter(key) ? newAdapter(key, keyShape, seed)
                : bert.read(key, keyShape);
        return TextOnlyWeights.of(bertWithAdapters, heads);
    }

    /**
     * LoRA's start: A uniform in ±1/sqrt(in) (PyTorch's nn.Linear default, as the reference
     * implementation uses), B zero, so the adapted model starts as the frozen one.
     */
    static float[] newAdapter(String key, long[] shape, long seed) {
        float[] values = new float[Math.toIntExact(shape[0] * shape[1])];
        if (key.endsWith(org.mafstream.model.graph.LowRankAdapters.A_SUFFIX)) {
            SplittableRandom random = new SplittableRandom(seed * 31 + key.hashCode());
            double bound = 1 / Math.sqrt(shape[1]);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
        }
        return values;
    }

    private static ObjectNode record(FineTuneOptions options, String commandLine, List<TokenSentences> train,
                                     List<TokenSentences> valid, TokenSentences test, TrainingLoop.Outcome outcome,
                                     Map<String, TrainingRecord.Scores> validScores, TrainingRecord.Scores testScores) {
        ObjectNode record = JSON.createObjectNode();
        record.put("what", (options.tinyRandomBert() ? "a tiny random BERT" : "bert-base-cased")
                + " and MAF's text head fine-tuned: " + options.settings().describe());
        List<TrainingRecord.DataFile> files = new ArrayList<>();
        train.forEach(part -> files.add(part.file()));
        valid.forEach(set -> files.add(set.file()));
        if (test != null) {
            files.add(test.file());
        }
        record.set("data", JSON.valueToTree(files));
        record.put("commandLine", commandLine);
        record.put("seed", options.settings().seed());
        record.set("hyperParameters", JSON.valueToTree(options.settings()));
        record.put("initialHeads", options.initialHeads());
        record.set("epochs", JSON.valueToTree(outcome.progress().epochs()));
        record.put("bestEpoch", outcome.progress().bestEpoch());
        record.put("selection", "span micro-F1 over all valid files together");
        record.set("bestValid", JSON.valueToTree(validScores));
        record.set("test", JSON.valueToTree(testScores));
        record.put("trainingSeconds", outcome.progress().trainingSeconds());
        record.put("steps", outcome.progress().steps());
        record.put("date", Instant.now().toString());
        return record;
    }

    /** The heads (classifier and CRF) as a heads directory; everything else that trained as adapters.{json,bin}. */
    static void write(TensorFile best, MafShape shape, ObjectNode record, Path out, PrintStream log) throws IOException {
        Map<String, TensorFile.Tensor> rest = new LinkedHashMap<>();
        for (Map.Entry<String, TensorFile.Tensor> tensor : best.tensors().entrySet()) {
            if (!FineTuneSettings.isHead(tensor.getKey())) {
                rest.put(tensor.getKey(), tensor.getValue());
            }
        }
        TensorFile adapters = new TensorFile(rest, record);
        ObjectNode headRecord = record.deepCopy();
        headRecord.put(ADAPTERS + "Sha256", adapters.sha256());
        HeadParameters heads = HeadParameters.of(LABELS, shape.bert().hiddenSize(),
                best.read(HeadParameters.WEIGHT, new long[] {LABELS.size(), 2L * shape.bert().hiddenSize()}),
                best.read(HeadParameters.BIAS, new long[] {LABELS.size()}),
                best.read(HeadParameters.START, new long[] {LABELS.size()}),
                best.read(HeadParameters.END, new long[] {LABELS.size()}),
                best.read(HeadParameters.TRANSITIONS, new long[] {LABELS.size(), LABELS.size()}), headRecord);
        adapters.write(out, ADAPTERS);
        heads.write(out);
        log.printf(Locale.ROOT, "%d tensors of adapters and BERT weights (%d bytes), heads (%d bytes)%n", rest.size(),
                adapters.binary().length, heads.binaryBytes());
    }
}
