package org.mafstream.model.export;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.arch.ResNetShape;
import org.mafstream.model.checkpoint.TorchCheckpoint;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.graph.MafObjective;
import org.mafstream.model.multimodal.ImageFeatureGraph;
import org.mafstream.model.multimodal.MafStateDict;
import org.mafstream.model.multimodal.MafTrainOptions;
import org.mafstream.model.multimodal.MafTraining;
import org.mafstream.model.multimodal.MafTrainingGraph;
import org.mafstream.model.multimodal.MnerPosts;
import org.mafstream.model.multimodal.OriginalCheckpointOutput;
import org.mafstream.model.multimodal.OriginalInitialisation;
import org.mafstream.model.multimodal.PostImages;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.pretrained.GoogleBertWeights;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.train.AdamW;
import org.mafstream.model.train.BertAdam;
import org.mafstream.model.train.FineTuneSettings;
import org.mafstream.model.train.TrainingLoop;
import org.mafstream.model.weights.WeightSource;

/**
 * {@code model-export train-maf}: trains the whole MAF ({@link MafTraining} in a {@link TrainingLoop})
 * from an original checkpoint or from pretrained BERT and torchvision's ResNet-152, and writes the
 * kept epoch in the original's checkpoint layout ({@link OriginalCheckpointOutput}), optionally
 * exported to a bundle. Exit code 0 on success, 1 on failure, 2 on bad arguments.
 */
public final class TrainMafCommand {
    private static final List<String> LABELS = ModelConfig.TWITTER_LABELS;
    private static final String RESNET_PREFIX = "resnet.";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainMafCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        ToolCommandLine.Startup<MafTrainOptions> startup = MafTrainOptions.COMMAND_LINE.settings("model-export train-maf",
                args, MafTrainOptions::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        try {
            Engine.getEngine("TensorFlow"); // loads the native libraries before org.tensorflow is used
            train(startup.settings(), "java -jar model-export.jar train-maf " + String.join(" ", args), out);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("model-export train-maf: failed: " + e);
            return 1;
        }
    }

    /** Where a run starts: the weights, their layouts and the configuration files the output carries. */
    private record Start(MafShape shape, WeightSource model, List<MafStateDict.Entry> modelLayout, WeightSource encoder,
                         List<MafStateDict.Entry> encoderLayout, String config, String modelConfig, AutoCloseable resources) {}

    private static void train(MafTrainOptions options, String commandLine, PrintStream log) throws IOException {
        MafTextEncoder textEncoder = new MafTextEncoder(TrainCommand.vocabulary(null), false, MafShape.MAX_SEQ_LENGTH);
        List<MnerPosts> trainParts = new ArrayList<>();
        for (Path file : options.train()) {
            trainParts.add(MnerPosts.read("train", file, textEncoder, LABELS, log));
        }
        List<MnerPosts> valid = new ArrayList<>();
        for (Path file : options.valid()) {
            valid.add(MnerPosts.read("valid", file, textEncoder, LABELS, log));
        }
        MnerPosts train = MnerPosts.concatenate("train", trainParts);
        // The job's own decoder and preprocessing (ImagePreprocessing's default resize), so training sees what serving sees.
        PostImages images = new PostImages(options.images(), ImagePreprocessing.imagenet224(), options.substituteImage());
        log.println("train " + images.survey(train));
        for (MnerPosts set : valid) {
            log.println(set.name() + " " + new PostImages(options.images(), ImagePreprocessing.imagenet224(),
                    options.substituteImage()).survey(set));
        }

        Start start = options.init() != null ? fromCheckpoint(options.init()) : fromPretrained(options);
        try (AutoCloseable resources = start.resources()) {
            LowRankAdapters adapters = options.optimiser() == MafTrainOptions.Optimiser.ADAMW
                    ? LowRankAdapters.onBertProjections(FineTuneSettings.DEFAULTS.rank(), FineTuneSettings.DEFAULTS.alpha())
                    : LowRankAdapters.NONE;
            long seed = options.seed();
            WeightSource withAdapters = (key, shape) -> FineTuneSettings.isAdapter(key)
                    ? FineTuneCommand.newAdapter(key, shape, seed) : start.model().read(key, shape);
            TrainingLoop.Outcome outcome;
            try (MafTrainingGraph graph = new MafTrainingGraph(start.shape(), MafObjective.Weights.ORIGINAL, adapters,
                    options.dropout(), withAdapters, trainable(options), false);
                 ImageFeatureGraph encoder = new ImageFeatureGraph(start.shape().resnet(), start.encoder(), 0)) {
                MafTraining task = new MafTraining(graph, encoder, start.shape(), train, valid, images::pixels,
                        new MafTraining.Settings(seed, options.batchSize(), options.negativeRate(), options.statistics()), LABELS);
                outcome = new TrainingLoop(new TrainingLoop.Settings(options.describe(), seed, options.epochs(),
                        options.checkpointEvery()), optimisers(options), options.checkpoints(), log).train(task, options.resume());
            }
            OriginalCheckpointOutput.write(options.out(), start.modelLayout(), withAdapters, outcome.best(), adapters,
                    start.encoderLayout(), start.encoder(), start.config(), start.modelConfig());
            JSON.writeValue(options.out().resolve("training.json").toFile(), record(options, commandLine, trainParts, valid,
                    outcome));
            log.println("wrote " + options.out() + ": " + OriginalCheckpointOutput.MODEL + ", " + OriginalCheckpointOutput.ENCODER
                    + ", " + OriginalCheckpointOutput.CONFIG + ", " + OriginalCheckpointOutput.MODEL_CONFIG + ", training.json");
            if (options.bundle() != null) {
                Path out = options.out();
                new BundleExporter(log).export(new ExportRequest(out.resolve(OriginalCheckpointOutput.MODEL),
                        out.resolve(OriginalCheckpointOutput.ENCODER), out.resolve(OriginalCheckpointOutput.CONFIG),
                        out.resolve(OriginalCheckpointOutput.MODEL_CONFIG), null, options.bundle(), "maf-trained",
                        "epoch " + outcome.progress().bestEpoch(), null, 0));
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** original: every weight of the graph, as the original's optimizer groups; adamw: adapters, BERT's biases and norms, all of MAF's own. */
    private static Predicate<String> trainable(MafTrainOptions options) {
        if (options.optimiser() == MafTrainOptions.Optimiser.ORIGINAL) {
            return key -> true;
        }
        return key -> FineTuneSettings.isAdapter(key) || !key.startsWith("bert.") || key.startsWith("bert.pooler.")
                || key.endsWith(".bias") || key.contains("LayerNorm.");
    }

    private static TrainingLoop.OptimiserFactory optimisers(MafTrainOptions options) {
        if (options.optimiser() == MafTrainOptions.Optimiser.ORIGINAL) {
            return (names, parameters, total) -> new BertAdam(new BertAdam.Settings(options.learningRate(), options.warmup(), total),
                    names, parameters, BertAdam::decays);
        }
        return (names, parameters, total) -> new AdamW(new AdamW.Settings(options.learningRate(), 0.01,
                (int) Math.round(options.warmup() * total), total, 1.0), names, parameters, FineTuneSettings::decays);
    }

    /** An original MAF checkpoint directory: its weights, its keys, its configuration. */
    private static Start fromCheckpoint(Path dir) throws IOException {
        TorchCheckpoint model = TorchCheckpoint.open(dir.resolve(OriginalCheckpointOutput.MODEL));
        TorchCheckpoint encoder = TorchCheckpoint.open(dir.resolve(OriginalCheckpointOutput.ENCODER));
        String config = Files.readString(dir.resolve(OriginalCheckpointOutput.CONFIG));
        String modelConfig = Files.readString(dir.resolve(OriginalCheckpointOutput.MODEL_CONFIG));
        MafShape shape = new MafShape(BertShape.fromConfig(JSON.readTree(config)), ResNetShapes.infer(encoder),
                ModelConfig.fromJson(JSON.readTree(modelConfig)).numLabels());
        return new Start(shape, model::readFloats, layout(model, ""), encoder::readFloats, layout(encoder, ""), config,
                modelConfig, () -> {
                    model.close();
                    encoder.close();
                });
    }

    /** bert-base-cased from Google's checkpoint, torchvision's ImageNet ResNet-152, MAF's own weights as the original initialises them. */
    private static Start fromPretrained(MafTrainOptions options) throws IOException {
        TorchCheckpoint resnet = TorchCheckpoint.open(options.resnet());
        boolean prefixed = resnet.keys().stream().anyMatch(key -> key.startsWith(RESNET_PREFIX));
        String prefix = prefixed ? "" : RESNET_PREFIX;
        GoogleBertWeights google = new GoogleBertWeights(EasyBertModule.unpack(options.bertCache()).variablesPrefix());
        OriginalInitialisation fresh = new OriginalInitialisation(options.seed());
        MafShape shape = MafShape.BASE;
        WeightSource model = (key, keyShape) -> key.startsWith("bert.") ? google.read(key, keyShape) : fresh.read(key, keyShape);
        WeightSource encoder = (key, keyShape) -> resnet.readFloats(prefixed ? key : key.substring(RESNET_PREFIX.length()), keyShape);
        return new Start(shape, model, MafStateDict.model(shape, ResNetShape.RESNET_152.outputChannels()), encoder,
                layout(resnet, prefix), JSON.writeValueAsString(bertConfig(shape.bert())), JSON.writeValueAsString(modelConfig()),
                () -> {
                    resnet.close();
                    google.close();
                });
    }

    /**
     * A checkpoint's keys and shapes, in its order, under {@code prefix}; a BatchNorm without
     * {@code num_batches_tracked} (torchvision's 2017 file predates it) gets one after its running variance.
     */
    private static List<MafStateDict.Entry> layout(TorchCheckpoint checkpoint, String prefix) throws IOException {
        List<String> keys = checkpoint.keys();
        List<MafStateDict.Entry> entries = new ArrayList<>();
        for (String key : keys) {
            entries.add(new MafStateDict.Entry(prefix + key, checkpoint.info(key).shape()));
            String tracked = key.replace(".running_var", ".num_batches_tracked");
            if (key.endsWith(".running_var") && !keys.contains(tracked)) {
                entries.add(new MafStateDict.Entry(prefix + tracked, new long[0]));
            }
        }
        return entries;
    }

    /** bert-base-cased's config.json, as the original writes it beside the model. */
    private static ObjectNode bertConfig(BertShape bert) {
        return JSON.createObjectNode().put("attention_probs_dropout_prob", 0.1).put("hidden_act", "gelu")
                .put("hidden_dropout_prob", 0.1).put("hidden_size", bert.hiddenSize()).put("initializer_range", 0.02)
                .put("intermediate_size", bert.intermediateSize()).put("layer_norm_eps", bert.layerNormEps())
                .put("max_position_embeddings", bert.maxPositions()).put("num_attention_heads", bert.numHeads())
                .put("num_hidden_layers", bert.numLayers()).put("type_vocab_size", bert.typeVocabSize())
                .put("vocab_size", bert.vocabSize());
    }

    /** model_config.json as run_gate_cl.py writes it (label ids from 1; 0 is padding). */
    private static ObjectNode modelConfig() {
        ObjectNode config = JSON.createObjectNode().put("bert_model", "bert-base-cased").put("do_lower", false)
                .put("max_seq_length", MafShape.MAX_SEQ_LENGTH).put("num_labels", LABELS.size());
        ObjectNode labelMap = config.putObject("label_map");
        for (int i = 1; i < LABELS.size(); i++) {
            labelMap.put(Integer.toString(i), LABELS.get(i));
        }
        return config;
    }

    private static ObjectNode record(MafTrainOptions options, String commandLine, List<MnerPosts> train, List<MnerPosts> valid,
                                     TrainingLoop.Outcome outcome) {
        ObjectNode record = JSON.createObjectNode();
        record.put("what", "the whole MAF trained with the original objective: " + options.describe());
        Map<String, Object> data = new LinkedHashMap<>();
        train.forEach(part -> data.put("train " + part.name(), part.file()));
        valid.forEach(set -> data.put("valid " + set.name(), set.file()));
        record.set("data", JSON.valueToTree(data));
        record.put("images", options.images().toString());
        record.put("start", options.init() != null ? "checkpoint " + options.init() : "bert-base-cased + " + options.resnet());
        record.put("commandLine", commandLine);
        record.set("epochs", JSON.valueToTree(outcome.progress().epochs()));
        record.put("bestEpoch", outcome.progress().bestEpoch());
        record.put("selection", "span micro-F1 over all valid files together");
        record.put("trainingSeconds", outcome.progress().trainingSeconds());
        record.put("steps", outcome.progress().steps());
        record.put("date", Instant.now().toString());
        return record;
    }
}
