package org.mafstream.job.tools;

import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
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
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.export.BundleExporter;
import org.mafstream.model.export.ExportRequest;

/**
 * Throughput of MAF inference on this machine: the bare model (one image_regions call and one
 * maf call per batch) at several batch sizes, then the micro-batcher path with concurrent
 * submitters, and the ratio batcher/bare at the best batch size. A post = one image + one text.
 *
 * <pre>
 * mvn -q -pl flink-job exec:exec@inference-bench -Dbench.args="--bundle DIR"
 * mvn -q -pl flink-job exec:exec@inference-bench -Dbench.args="--random-init base --posts 64"
 * </pre>
 */
public final class InferenceBenchmark {
    private InferenceBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path bundle = null;
        String randomSize = null;
        int posts = 64;
        int submitters = 32;
        int[] batchSizes = {1, 4, 8, 16, 32};
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--bundle" -> bundle = Path.of(args[i + 1]);
                case "--random-init" -> randomSize = args[i + 1];
                case "--posts" -> posts = Integer.parseInt(args[i + 1]);
                case "--submitters" -> submitters = Integer.parseInt(args[i + 1]);
                case "--batch-sizes" -> batchSizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --bundle DIR | --random-init tiny|base, --posts N, --submitters N, --batch-sizes 1,4,8");
            }
        }
        Engine.getEngine("TensorFlow");
        PrintStream out = System.out;
        if (bundle == null) {
            bundle = Files.createTempDirectory("maf-bench").resolve("bundle");
            out.printf("exporting a random %s bundle to %s ...%n", randomSize, bundle);
            new BundleExporter(new PrintStream(java.io.OutputStream.nullOutputStream())).export(new ExportRequest(
                    null, null, null, null, null, bundle, "bench", "bench",
                    "base".equals(randomSize) ? MafShape.BASE : MafShape.TINY, 1));
        }
        out.printf("machine: %d cores, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        InferenceSettings base = InferenceSettings.cpu(bundle.toString());
        List<float[]> images;
        List<TokenInput> texts;
        double bestBare = 0;
        int bestBatch = 1;
        try (LoadedBundle model = LoadedBundle.load(base)) {
            images = randomImages(posts, model.manifest().image().size());
            texts = randomTexts(posts, model.manifest().maxSeqLength());
            out.printf("bundle: %s %s (%s)%n", model.manifest().name(), model.manifest().version(), model.manifest().description());
            try (Predictor<NDList, NDList> image = model.newImagePredictor();
                 Predictor<NDList, NDList> text = model.newTextPredictor()) {
                runBare(model, image, text, images, texts, 4); // warm-up
                for (int batch : batchSizes) {
                    double rate = runBare(model, image, text, images, texts, batch);
                    out.printf("bare model  batch %3d: %8.2f posts/s%n", batch, rate);
                    if (rate > bestBare) {
                        bestBare = rate;
                        bestBatch = batch;
                    }
                }
            }
        }
        InferenceSettings batched = base.withBatching(bestBatch, Duration.ofMillis(20));
        try (MafRuntime runtime = MafRuntime.start(batched)) {
            runBatcher(runtime, images, texts, submitters); // warm-up
            double rate = runBatcher(runtime, images, texts, submitters);
            out.printf("batcher     max batch %d, %d submitters: %8.2f posts/s%n", bestBatch, submitters, rate);
            out.printf("ratio batcher/bare at batch %d: %.2f%n", bestBatch, rate / bestBare);
        }
    }

    /** Posts/s of the model alone: one image_regions and one maf call per batch, nothing else. */
    static double runBare(LoadedBundle model, Predictor<NDList, NDList> image, Predictor<NDList, NDList> text,
                                  List<float[]> images, List<TokenInput> texts, int batch) throws Exception {
        long start = System.nanoTime();
        for (int from = 0; from < images.size(); from += batch) {
            int to = Math.min(images.size(), from + batch);
            List<float[]> regions = model.encodeImages(image, images.subList(from, to));
            List<TextInput> inputs = new ArrayList<>();
            for (int i = from; i < to; i++) {
                inputs.add(new TextInput(texts.get(i), regions.get(i - from)));
            }
            model.scoreTexts(text, inputs);
        }
        return images.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double runBatcher(MafRuntime runtime, List<float[]> images, List<TokenInput> texts, int submitters)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        long start = System.nanoTime();
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            int post = i;
            done.add(CompletableFuture.supplyAsync(() -> {
                try {
                    float[] regions = runtime.encodeImage(images.get(post)).get();
                    return runtime.scoreText(texts.get(post), regions).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        double rate = images.size() / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        return rate;
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

    /** Tweet-length texts: 20-40 real positions out of 128. */
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
