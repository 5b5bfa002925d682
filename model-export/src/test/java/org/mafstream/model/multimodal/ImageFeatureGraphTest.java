package org.mafstream.model.multimodal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.ResNetShape;
import org.mafstream.model.testing.Comparison;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.testing.Npz;

/**
 * The frozen encoder as the original runs it while MAF trains: train-mode BatchNorm features of
 * the fixture's 4 images and the running statistics after the step, against the training golden
 * (which drew them from the original's encoder), and eval-mode features against the inference golden.
 */
class ImageFeatureGraphTest {
    private static final int B = TrainGolden.B;
    private static final int SIDE = 224;

    static Map<String, Npz.Array> trainGolden;
    static Map<String, Npz.Array> inferenceGolden;
    static float[] pixels;

    @BeforeAll
    static void load() throws Exception {
        Engine.getEngine("TensorFlow");
        trainGolden = TrainGolden.arrays();
        inferenceGolden = Npz.read(Fixtures.mafTiny().resolve("golden.npz"));
        pixels = nhwc(inferenceGolden.get("pixel_values").floats());
    }

    @Test
    void trainModeFeaturesAndDriftedStatisticsMatchTheOriginal() throws Exception {
        try (ImageFeatureGraph encoder = new ImageFeatureGraph(ResNetShape.TINY, TrainGolden.weights("pytorch_encoder.bin"), 0)) {
            ImageFeatureGraph.Features features = encoder.trainFeatures(pixels, B);
            double regions = Comparison.maxRelativeError(features.regions(), TrainGolden.regions(trainGolden.get("img_att").floats()));
            double pooled = Comparison.maxRelativeError(features.pooled(), trainGolden.get("imgs_f").floats());
            System.out.printf(Locale.ROOT, "train-mode regions %.2e, pooled %.2e%n", regions, pooled);
            assertThat(regions).isLessThan(1e-4);
            assertThat(pooled).isLessThan(1e-4);

            assertThat(encoder.batchesTracked()).isEqualTo(1);
            Map<String, float[]> statistics = encoder.runningStatistics();
            List<String> failures = new ArrayList<>();
            double worst = 0;
            int compared = 0;
            for (Map.Entry<String, Npz.Array> entry : trainGolden.entrySet()) {
                String name = entry.getKey();
                if (!name.startsWith("encoder_after/")) {
                    continue;
                }
                String key = name.substring("encoder_after/".length());
                if (key.endsWith("num_batches_tracked")) {
                    assertThat(entry.getValue().values()[0]).as(key).isEqualTo(1.0);
                    continue;
                }
                float[] ours = statistics.get(key);
                assertThat(ours).as(key).isNotNull();
                double error = Comparison.maxRelativeError(ours, entry.getValue().floats());
                worst = Math.max(worst, error);
                compared++;
                if (error > 1e-5) {
                    failures.add(key + ": " + error);
                }
            }
            System.out.printf(Locale.ROOT, "running statistics after the step: %d tensors, worst %.2e%n", compared, worst);
            assertThat(compared).isEqualTo(statistics.size());
            assertThat(failures).isEmpty();
        }
    }

    @Test
    void evalModeFeaturesAreTheInferenceGoldensAndDoNotDrift() throws Exception {
        try (ImageFeatureGraph encoder = new ImageFeatureGraph(ResNetShape.TINY, TrainGolden.weights("pytorch_encoder.bin"), 0)) {
            Map<String, float[]> before = encoder.runningStatistics();
            ImageFeatureGraph.Features features = encoder.evalFeatures(pixels, B);
            assertThat(Comparison.maxRelativeError(features.regions(),
                    TrainGolden.regions(inferenceGolden.get("img_att").floats()))).isLessThan(1e-4);
            assertThat(Comparison.maxRelativeError(features.pooled(), inferenceGolden.get("imgs_f").floats())).isLessThan(1e-4);
            assertThat(encoder.batchesTracked()).isZero();
            encoder.runningStatistics().forEach((key, values) -> assertThat(values).as(key).containsExactly(before.get(key)));

            // After a train-mode batch, eval mode reads the drifted statistics: other features.
            encoder.trainFeatures(pixels, B);
            float[] drifted = encoder.evalFeatures(pixels, B).regions();
            assertThat(Comparison.maxRelativeError(drifted, features.regions())).isGreaterThan(1e-3);
        }
    }

    /** [B, 3, 224, 224] → [B, 224, 224, 3]. */
    private static float[] nhwc(float[] nchw) {
        float[] out = new float[nchw.length];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        out[((b * SIDE + y) * SIDE + x) * 3 + c] = nchw[((b * 3 + c) * SIDE + y) * SIDE + x];
                    }
                }
            }
        }
        return out;
    }
}
