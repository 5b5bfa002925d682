package org.mafstream.job.bench;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mafstream.cli.Durations;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.graph.MafObjective;
import org.mafstream.model.graph.RandomWeights;
import org.mafstream.model.multimodal.ImageFeatureGraph;
import org.mafstream.model.multimodal.MafTrainingGraph;
import org.mafstream.model.multimodal.Negatives;

/**
 * Throughput of full-size MAF training on this machine, with random weights: the whole MAF at
 * 128 positions with the image branch live and the original's objective ({@link MafTrainingGraph},
 * every weight trainable, dropout 0.1) and the frozen ResNet-152 ({@link ImageFeatureGraph}). Each
 * measured step times
 * <ol>
 *   <li>the ResNet forward in train mode (BatchNorm with the batch's statistics, as the original
 *       trains; it depends on the batch, so it cannot be cached per image), then
 *   <li>the MAF step: forward, backward, the gradients of every weight (no optimizer update).
 * </ol>
 * "Not cached" is their sum; "cached" is the MAF step alone (the eval-mode option, whose features
 * are computed once per image; one eval-mode forward of the batch is timed for that one-off cost).
 * The FLOPs are an analytic estimate ({@link Flops}), from which the time of the published
 * setting (Twitter-2017, 3373 sentences × 23 epochs) is extrapolated at assumed GPU throughputs.
 */
public final class TrainingBenchmark {
    /** Sentences of Twitter-2017's train split (UMT's data/twitter2017/train.txt). */
    static final int TWITTER2017_TRAIN_SENTENCES = 3373;
    /** run_gate_cl.py's epochs for twitter2017 (its defaults, with train_batch_size 64). */
    static final int TWITTER2017_EPOCHS = 23;
    static final int PUBLISHED_BATCH = 64;
    /** Sustained GPU throughputs the published setting's time is shown at: assumptions, not measurements. */
    static final double[] ASSUMED_TFLOPS = {50, 200};
    /** The original's dropout (BERT's hidden_dropout_prob, and MAF's own). */
    static final float DROPOUT = 0.1f;

    static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream bench train [options]",
            """
            Full-size MAF training throughput with random weights (bert-base-cased + ResNet-152, no
            pretrained weights needed): one warm-up step, then per step the ResNet-152 forward in
            train mode (batch statistics, as the original trains: not cacheable) and the MAF step
            (forward, backward and every weight's gradient at 128 positions, dropout 0.1, the
            original's objective; no optimizer update). Prints seconds per step and sentences/s
            with the image features not cached (both) and cached (MAF step alone), the ResNet
            forward per image, peak resident memory and JVM heap, an analytic FLOP estimate and
            the achieved GFLOP/s, and the time the published setting (Twitter-2017, 3373 sentences
            x 23 epochs) would take at assumed GPU throughputs and at this machine's rate. A step
            at batch 8 takes well over ten seconds on 2 cores.""",
            List.of(
                    Option.value("batch-size", "N", "sentences (and images) per step (default 8)"),
                    Option.value("steps", "N", "measured steps, after one warm-up step (default 3)"),
                    Option.value("negative-rate", "N", "the original's negative_rate: the batch's last N samples are"
                            + " matching negatives (default: half the batch size rounded down to even, 4 at batch 8)"),
                    Option.flag("tiny", "the tiny shape (2-layer BERT, small ResNet) for a quick smoke run")));

    private TrainingBenchmark() {}

    /** What the command line asks for. */
    record Settings(MafShape shape, int batchSize, int steps, int negativeRate) {
        static Settings from(Parsed args) {
            int batch = args.positiveInt("batch-size").orElse(8);
            int steps = args.positiveInt("steps").orElse(3);
            int negativeRate = args.integer("negative-rate", 0).orElse(defaultNegativeRate(batch));
            if (negativeRate > 0 && negativeRate >= batch) {
                throw new UsageException("Option --negative-rate must be below --batch-size (" + batch + "), got "
                        + negativeRate + " (the original would train without negatives; give 0 for that)");
            }
            return new Settings(args.has("tiny") ? MafShape.TINY : MafShape.BASE, batch, steps, negativeRate);
        }

        boolean tiny() {
            return shape.equals(MafShape.TINY);
        }
    }

    /**
     * The default negative rate: half the batch rounded down to an even number, so that the
     * negatives pair up (the original's default is 16 at its batch of 64, a quarter; half makes
     * the matching term's negatives show at small benchmark batches).
     */
    static int defaultNegativeRate(int batchSize) {
        return batchSize / 2 / 2 * 2;
    }

    /**
     * FLOPs per sentence, an analytic estimate from the shapes: matrix products and convolutions
     * only, 2 FLOPs per multiply-add (normalisation, softmax, GELU, the CRF and the optimizer are
     * a few percent on top and not counted); a training step is taken as 3× the forward (the
     * backward computes two products per forward product: the input's gradient and the weight's).
     *
     * @param bertForward BERT at 128 positions: per layer Q, K, V, output (4·T·H²), the FFN
     *     (2·T·H·I) and the attention's scores and context (2·T²·H), in multiply-adds
     * @param headsForward MAF's layers after BERT ({@link ModelFlops#heads}: region projection,
     *     cross-attention layer, matching classifier over 128·2·H inputs × 2 outputs, gate,
     *     classifier) plus the objective's alignment MLPs (pooler, two H×H text layers, the
     *     2048×H and H×H image layers)
     * @param resnetForward one 224×224 image through the ResNet up to layer4 ({@link ModelFlops#resnet});
     *     for ResNet-152 about 23 GFLOP, the published 11.5 GMAC (torchvision's model table, 11.51
     *     "GFLOPS" counted as multiply-adds; He et al. 2016, Table 1: 11.3 × 10^9 FLOPs, also
     *     multiply-adds), which this count reproduces within 1% without the final fc layer
     */
    record Flops(double bertForward, double headsForward, double resnetForward) {
        static Flops of(MafShape shape) {
            double h = shape.bert().hiddenSize();
            double alignment = 2 * (3 * h * h + MafObjective.ALIGNMENT_IMAGE_WIDTH * h + h * h);
            return new Flops(ModelFlops.bert(shape.bert(), MafShape.MAX_SEQ_LENGTH), ModelFlops.heads(shape) + alignment,
                    ModelFlops.resnet(shape.resnet()));
        }

        double mafForward() {
            return bertForward + headsForward;
        }

        /** One sentence's share of a MAF step (forward + backward). */
        double mafStep() {
            return 3 * mafForward();
        }

        /** Features not cached: the train-mode ResNet forward of the sentence's image, then the MAF step. */
        double notCached() {
            return resnetForward + mafStep();
        }
    }

    /** The published training run's work: Twitter-2017's train split, 23 epochs. */
    record Published(double notCachedFlops, double cachedFlops) {
        static final long SENTENCES = (long) TWITTER2017_TRAIN_SENTENCES * TWITTER2017_EPOCHS;

        /** Cached: every sentence's MAF step, plus one eval-mode ResNet forward per training image. */
        static Published of(Flops flops) {
            return new Published(SENTENCES * flops.notCached(),
                    SENTENCES * flops.mafStep() + TWITTER2017_TRAIN_SENTENCES * flops.resnetForward());
        }
    }

    /** One measured step: the train-mode ResNet forward and the MAF step, in seconds. */
    record StepTime(double features, double maf) {
        double notCached() {
            return features + maf;
        }
    }

    /** Mean of the measured steps. */
    static StepTime mean(List<StepTime> steps) {
        return new StepTime(steps.stream().mapToDouble(StepTime::features).average().orElseThrow(),
                steps.stream().mapToDouble(StepTime::maf).average().orElseThrow());
    }

    private static final Pattern VM_HWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+)\\s+kB");

    /** Peak resident set in bytes, from a /proc/PID/status text; empty if it has none. */
    static OptionalLong peakResidentBytes(String procStatus) {
        Matcher m = VM_HWM.matcher(procStatus);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("bench train", args, Settings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        Settings settings = startup.settings();
        long started = System.nanoTime();
        Engine.getEngine("TensorFlow");
        MafShape shape = settings.shape();
        int b = settings.batchSize();
        out.printf(Locale.ROOT, "machine: %d cores, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        out.printf(Locale.ROOT, "MAF training, %s: %s + %s, random weights, all trainable, dropout %.1f; batch %d x %d"
                        + " positions, negative rate %d%s; %d measured steps after 1 warm-up%n",
                settings.tiny() ? "tiny shape" : "full size", settings.tiny() ? "tiny BERT" : "bert-base-cased",
                settings.tiny() ? "tiny ResNet" : "ResNet-152", DROPOUT, b, MafShape.MAX_SEQ_LENGTH, settings.negativeRate(),
                negativesNote(b, settings.negativeRate()), settings.steps());

        long buildStart = System.nanoTime();
        err.println("building the ResNet feature graph (random weights) ...");
        try (ImageFeatureGraph images = new ImageFeatureGraph(shape.resnet(), new RandomWeights(11), 0)) {
            err.printf(Locale.ROOT, "  %.0f s; building the MAF training graph (random weights) ...%n", seconds(buildStart));
            try (MafTrainingGraph maf = new MafTrainingGraph(shape, MafObjective.Weights.ORIGINAL, LowRankAdapters.NONE,
                    DROPOUT, new RandomWeights(7), key -> true, false)) {
                long parameters = 0;
                for (String key : maf.weights().trainable()) {
                    long n = 1;
                    for (long d : maf.weights().storedShape(key)) {
                        n *= d;
                    }
                    parameters += n;
                }
                out.printf(Locale.ROOT, "graphs built in %.0f s: %d trainable tensors, %.1f M parameters%n",
                        seconds(buildStart), maf.weights().trainable().size(), parameters / 1e6);
                measure(out, err, settings, images, maf);
            }
        }
        out.printf(Locale.ROOT, "benchmark took %s%n", Durations.format(seconds(started)));
        return 0;
    }

    private static String negativesNote(int batch, int negativeRate) {
        String chosen = negativeRate == defaultNegativeRate(batch) ? "the default, half the batch rounded down to even; " : "";
        return negativeRate == 0 ? " (" + chosen + "no negatives)"
                : String.format(Locale.ROOT, " (%sthe last %d samples are matching negatives)", chosen, negativeRate);
    }

    private static void measure(PrintStream out, PrintStream err, Settings settings, ImageFeatureGraph images,
                                MafTrainingGraph maf) {
        MafShape shape = settings.shape();
        int b = settings.batchSize();
        Random random = new Random(5);
        float[] pixels = randomPixels(random, b);
        int[][] tokens = new int[b][];
        int[][] gold = new int[b][];
        randomSentences(random, shape.numLabels(), tokens, gold);
        Negatives negatives = Negatives.of(b, settings.negativeRate());

        List<StepTime> measured = new ArrayList<>();
        int total = settings.steps() + 1;
        long measuring = 0;
        for (int step = 0; step < total; step++) {
            boolean warmUp = step == 0;
            err.printf(Locale.ROOT, "%s: train-mode ResNet forward of %d images ...%n", stepName(step, settings.steps()), b);
            long start = System.nanoTime();
            ImageFeatureGraph.Features features = images.trainFeatures(pixels, b);
            double featureSeconds = seconds(start);
            err.printf(Locale.ROOT, "%s: %.1f s; MAF step (forward + backward) ...%n", stepName(step, settings.steps()),
                    featureSeconds);
            long mafStart = System.nanoTime();
            MafTrainingGraph.Step result = maf.step(new MafTrainingGraph.Batch(tokens, gold, features.regions(),
                    features.pooled(), negatives), step);
            StepTime time = new StepTime(featureSeconds, seconds(mafStart));
            if (!Double.isFinite(result.losses().total())) {
                throw new IllegalStateException("the loss is not finite: " + result.losses());
            }
            out.printf(Locale.ROOT, "%s: ResNet forward %.2f s + MAF step %.2f s = %.2f s; %.3f sentences/s not cached,"
                            + " %.3f cached; loss %.4f%n", stepName(step, settings.steps()), time.features(), time.maf(),
                    time.notCached(), b / time.notCached(), b / time.maf(), result.losses().total());
            if (!warmUp) {
                measured.add(time);
                measuring += System.nanoTime() - start;
                int left = total - 1 - measured.size();
                if (left > 0) {
                    err.printf(Locale.ROOT, "progress: %d/%d measured steps, ETA %s%n", measured.size(), settings.steps(),
                            Durations.format(measuring / 1e9 / measured.size() * left));
                }
            } else {
                err.println("warm-up step: eval-mode ResNet forward (its first run, not timed) ...");
                images.evalFeatures(pixels, b);
                err.printf(Locale.ROOT, "progress: warm-up done, ETA at most %s for the measured steps (the warm-up"
                        + " step is the slowest)%n", Durations.format(time.notCached() * settings.steps()));
            }
        }
        err.println("eval-mode ResNet forward (the cached option's one-off per image) ...");
        long evalStart = System.nanoTime();
        images.evalFeatures(pixels, b);
        double evalPerImage = seconds(evalStart) / b;
        report(out, settings, mean(measured), evalPerImage);
    }

    private static void report(PrintStream out, Settings settings, StepTime mean, double evalPerImage) {
        int b = settings.batchSize();
        Flops flops = Flops.of(settings.shape());
        String resnet = settings.tiny() ? "tiny ResNet" : "ResNet-152";
        out.printf(Locale.ROOT, "mean of %d measured steps, batch %d:%n", settings.steps(), b);
        out.println(line("(a) image features not cached (ResNet + MAF step)", mean.notCached(), "s/step",
                b / mean.notCached(), "sentences/s", flops.notCached()));
        out.println(line("(b) image features cached (MAF step alone)", mean.maf(), "s/step", b / mean.maf(),
                "sentences/s", flops.mafStep()));
        out.println(line("(c) " + resnet + " forward, train-mode BN", mean.features() / b, "s/image",
                b / mean.features(), "images/s", flops.resnetForward()));
        out.println(line("    " + resnet + " forward, eval mode (cached: once)", evalPerImage, "s/image",
                1 / evalPerImage, "images/s", flops.resnetForward()));
        out.printf(Locale.ROOT, "FLOPs per sentence (an estimate: products and convolutions only, 2 per multiply-add,"
                        + " a step = 3x the forward):%n  BERT forward %s, heads + objective forward %s, MAF step %s;"
                        + " %s forward %s per image%s%n", giga(flops.bertForward()), giga(flops.headsForward()),
                giga(flops.mafStep()), resnet, giga(flops.resnetForward()),
                settings.tiny() ? "" : " (published: 11.5 GMAC = 23 GFLOP, torchvision's table / He et al. 2016)");
        out.println(memory());

        Published published = Published.of(flops);
        out.printf(Locale.ROOT, "published setting%s: Twitter-2017 train, %d sentences x %d epochs = %d sentences (batch %d,"
                        + " run_gate_cl.py's defaults);%n  work %.3g PFLOP not cached, %.3g PFLOP cached (features once per"
                        + " image):%n", settings.tiny() ? " (at the tiny shape's FLOPs)" : "", TWITTER2017_TRAIN_SENTENCES,
                TWITTER2017_EPOCHS, Published.SENTENCES, PUBLISHED_BATCH, published.notCachedFlops() / 1e15,
                published.cachedFlops() / 1e15);
        for (double tflops : ASSUMED_TFLOPS) {
            out.printf(Locale.ROOT, "  %-58s %10s not cached, %10s cached%n",
                    String.format(Locale.ROOT, "GPU sustaining %.0f TFLOP/s (an assumption, not measured):", tflops),
                    Durations.format(published.notCachedFlops() / (tflops * 1e12)),
                    Durations.format(published.cachedFlops() / (tflops * 1e12)));
        }
        double here = Published.SENTENCES / (b / mean.notCached());
        double hereCached = Published.SENTENCES / (b / mean.maf()) + TWITTER2017_TRAIN_SENTENCES * evalPerImage;
        out.printf(Locale.ROOT, "  %-58s %10s not cached, %10s cached%n",
                String.format(Locale.ROOT, "this machine, at the rates measured at batch %d:", b), Durations.format(here),
                Durations.format(hereCached));
    }

    private static String line(String label, double seconds, String perUnit, double rate, String rateUnit, double flopsPerItem) {
        return String.format(Locale.ROOT, "  %-52s %8.3f %-7s %8.3f %-11s %7.2f GFLOP/s", label, seconds, perUnit, rate,
                rateUnit, rate * flopsPerItem / 1e9);
    }

    private static String giga(double flops) {
        return String.format(Locale.ROOT, "%.4g GFLOP", flops / 1e9);
    }

    /** Peak resident memory (VmHWM: native TensorFlow memory included) and the JVM heap. */
    static String memory() {
        String peak;
        try {
            OptionalLong bytes = peakResidentBytes(Files.readString(Path.of("/proc/self/status")));
            peak = bytes.isPresent() ? String.format(Locale.ROOT, "%.2f GB", bytes.getAsLong() / 1e9) : "n/a";
        } catch (IOException | RuntimeException e) {
            peak = "n/a (" + e.getMessage() + ")";
        }
        Runtime runtime = Runtime.getRuntime();
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        return String.format(Locale.ROOT, "memory: peak resident (VmHWM) %s; JVM heap used %.2f GB now, peak %.2f GB"
                        + " (sum of the pools' peaks), max %.2f GB", peak, (runtime.totalMemory() - runtime.freeMemory()) / 1e9,
                heapPeak / 1e9, runtime.maxMemory() / 1e9);
    }

    private static String stepName(int step, int steps) {
        return step == 0 ? "warm-up step" : String.format(Locale.ROOT, "step %d/%d", step, steps);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Standard-normal pixels, [B, 224, 224, 3] (already "normalized"). */
    private static float[] randomPixels(Random random, int batch) {
        float[] pixels = new float[batch * MafShape.IMAGE_SIZE * MafShape.IMAGE_SIZE * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        return pixels;
    }

    /** Tweet-length sentences, 20-40 real tokens ([CLS] … [SEP]; the graph runs all 128 positions whatever the length), random tags. */
    private static void randomSentences(Random random, int labels, int[][] tokens, int[][] gold) {
        for (int i = 0; i < tokens.length; i++) {
            int n = 20 + random.nextInt(21);
            tokens[i] = new int[n];
            gold[i] = new int[n];
            for (int t = 0; t < n; t++) {
                tokens[i][t] = 1000 + random.nextInt(27000);
                gold[i][t] = random.nextInt(labels);
            }
            tokens[i][0] = 101;
            tokens[i][n - 1] = 102;
        }
    }
}
