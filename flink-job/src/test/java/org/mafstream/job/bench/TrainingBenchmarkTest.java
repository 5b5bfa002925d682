package org.mafstream.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.model.arch.MafShape;

/**
 * The pure parts of {@code bench train}: the analytic FLOP estimate against hand-computed sums,
 * the published setting's arithmetic, the options and their usage errors, and reading VmHWM. No
 * graph is built.
 */
public class TrainingBenchmarkTest {

    @Test
    void theTinyShapesFlopsAreTheHandComputedSums() {
        TrainingBenchmark.Flops flops = TrainingBenchmark.Flops.of(MafShape.TINY);
        // BERT: H 32, I 64, 2 layers, T 128; per layer 4·T·H² + 2·T·H·I + 2·T²·H multiply-adds.
        long bertLayer = 4L * 128 * 32 * 32 + 2L * 128 * 32 * 64 + 2L * 128 * 128 * 32;
        assertThat(bertLayer).isEqualTo(2_097_152);
        assertThat(flops.bertForward()).isEqualTo(2.0 * 2 * bertLayer);
        // Heads, in multiply-adds: vismap2text 49·256·32; cross attention Q+out on 128 rows, K+V on 49,
        // scores+context 2·128·49·32, FFN 2·128·32·64; crs_classifier 128·2·32 inputs × 2; Gate_text and
        // Gate_image 2·128·32·32; classifier 128·64·13; alignment: pooler, text_dense_cl, text_ouput_cl,
        // image_output_cl (32·32 each) and image_dense_cl (2048·32, the tiny pooled image zero-padded to 2048).
        long heads = 49L * 256 * 32
                + (2L * 128 * 32 * 32 + 2L * 49 * 32 * 32 + 2L * 128 * 49 * 32 + 2L * 128 * 32 * 64)
                + 128L * 2 * 32 * 2
                + 2L * 128 * 32 * 32 + 128L * 64 * 13
                + 4L * 32 * 32 + 2048L * 32;
        assertThat(heads).isEqualTo(2_144_256);
        assertThat(flops.headsForward()).isEqualTo(2.0 * heads);
        assertThat(flops.mafStep()).isEqualTo(3 * 2.0 * (2 * bertLayer + heads));
        // Tiny ResNet, 224² in: stem 112²·7·7·3·64, then at 56, 28, 14, 7 the bottlenecks of planes
        // 8, 16 (2 blocks), 32, 64; the stride sits on the 3x3, each stage's first block downsamples.
        long stem = 112L * 112 * 49 * 3 * 64;
        long stage1 = 56L * 56 * 64 * 8 + 56L * 56 * 9 * 8 * 8 + 56L * 56 * 8 * 32 + 56L * 56 * 64 * 32;
        long stage2 = 56L * 56 * 32 * 16 + 28L * 28 * 9 * 16 * 16 + 28L * 28 * 16 * 64 + 28L * 28 * 32 * 64
                + 28L * 28 * 64 * 16 + 28L * 28 * 9 * 16 * 16 + 28L * 28 * 16 * 64;
        long stage3 = 28L * 28 * 64 * 32 + 14L * 14 * 9 * 32 * 32 + 14L * 14 * 32 * 128 + 14L * 14 * 64 * 128;
        long stage4 = 14L * 14 * 128 * 64 + 7L * 7 * 9 * 64 * 64 + 7L * 7 * 64 * 256 + 7L * 7 * 128 * 256;
        assertThat(stem + stage1 + stage2 + stage3 + stage4).isEqualTo(149_524_480);
        assertThat(flops.resnetForward()).isEqualTo(2.0 * 149_524_480);
        assertThat(flops.notCached()).isEqualTo(flops.resnetForward() + flops.mafStep());
    }

    @Test
    void theFullSizeFlopsAreBertBasesAndResNet152sPublishedCounts() {
        TrainingBenchmark.Flops flops = TrainingBenchmark.Flops.of(MafShape.BASE);
        double bertLayer = 4.0 * 128 * 768 * 768 * 2 + 2.0 * 128 * 768 * 3072 * 2 + 2.0 * 128 * 128 * 768 * 2;
        assertThat(flops.bertForward()).isEqualTo(12 * bertLayer).isCloseTo(22.35e9, within(0.01e9));
        // ResNet-152: 11.5 GMAC per 224² image (torchvision's table: 11.51; He et al. Table 1: 11.3 × 10^9).
        assertThat(flops.resnetForward() / 2).isCloseTo(11.5e9, within(0.15e9));
        // The heads are a few percent of BERT: the cross-attention layer and the 196608 × 2 matching classifier.
        assertThat(flops.headsForward() / flops.bertForward()).isBetween(0.05, 0.15);
    }

    @Test
    void thePublishedSettingIsTwitter2017TrainFor23Epochs() {
        TrainingBenchmark.Flops flops = new TrainingBenchmark.Flops(20e9, 2e9, 23e9);
        TrainingBenchmark.Published published = TrainingBenchmark.Published.of(flops);
        assertThat(TrainingBenchmark.Published.SENTENCES).isEqualTo(77_579);
        assertThat(published.notCachedFlops()).isCloseTo(77_579 * (23e9 + 66e9), within(1e6));
        assertThat(published.cachedFlops()).isCloseTo(77_579 * 66e9 + 3373 * 23e9, within(1e6));
    }

    @Test
    void theDefaultsAreBatch8ThreeStepsFullSizeAndHalfTheBatchAsNegatives() {
        TrainingBenchmark.Settings defaults = settings();
        assertThat(defaults).isEqualTo(new TrainingBenchmark.Settings(MafShape.BASE, 8, 3, 4));
        assertThat(defaults.tiny()).isFalse();
        assertThat(settings("--tiny", "--batch-size", "5", "--steps", "1"))
                .isEqualTo(new TrainingBenchmark.Settings(MafShape.TINY, 5, 1, 2));
        assertThat(settings("--batch-size", "8", "--negative-rate", "0").negativeRate()).isZero();
        assertThat(settings("--batch-size", "8", "--negative-rate", "7").negativeRate()).isEqualTo(7);
        assertThat(List.of(1, 2, 3, 4, 6, 7, 12, 64).stream().map(TrainingBenchmark::defaultNegativeRate))
                .containsExactly(0, 0, 0, 2, 2, 2, 6, 32);
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertThatThrownBy(() -> settings("--negative-rate", "8")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--negative-rate must be below --batch-size (8), got 8");
        assertThatThrownBy(() -> settings("--negative-rate", "-2")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--negative-rate must be >= 0, got -2");
        assertThatThrownBy(() -> settings("--steps", "0")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--steps must be a positive integer");
        assertThatThrownBy(() -> settings("--batch-size", "x")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--batch-size");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = run(out, err, "--batch-size", "0");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("bench train: Option --batch-size must be a positive integer")
                .contains("Run with --help");
        assertThat(out.size()).isZero();
    }

    @Test
    void theHelpNamesEveryOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(out, new ByteArrayOutputStream(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: maf-stream bench train")
                .contains("--batch-size N", "--steps N", "--negative-rate N", "--tiny", "3373 sentences");
    }

    @Test
    void readsThePeakResidentSetFromProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  5242880 kB\nVmRSS:\t 4000000 kB\n";
        assertThat(TrainingBenchmark.peakResidentBytes(status)).hasValue(5_368_709_120L);
        assertThat(TrainingBenchmark.peakResidentBytes("Name:\tjava\n")).isEmpty();
    }

    @Test
    void theMeanIsTakenPerPart() {
        TrainingBenchmark.StepTime mean = TrainingBenchmark.mean(List.of(
                new TrainingBenchmark.StepTime(10, 20), new TrainingBenchmark.StepTime(12, 24)));
        assertThat(mean.features()).isEqualTo(11);
        assertThat(mean.maf()).isEqualTo(22);
        assertThat(mean.notCached()).isEqualTo(33);
    }

    private static TrainingBenchmark.Settings settings(String... args) {
        return TrainingBenchmark.Settings.from(TrainingBenchmark.COMMAND_LINE.parse(args));
    }

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        try {
            return TrainingBenchmark.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
