package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.bundle.BundleLayout;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.testing.SavedModelRunner;
import org.mafstream.model.testing.SavedModelRunner.Input;

/**
 * A full-size bundle (BERT-base 12x768, ResNet-152) exports, loads through DJL and runs a batch.
 * Slow (about a minute) but part of every test run: it is what proves the design scales (weights
 * out of the GraphDef, one tensor in Java at a time).
 */
@Tag("slow")
class FullSizeExportTest {
    @TempDir
    Path tmp;

    @Test
    void aRandomFullSizeBundleExportsLoadsAndRuns() throws Exception {
        Engine.getEngine("TensorFlow");
        Path bundle = tmp.resolve("base");
        long start = System.nanoTime();
        BundleManifest manifest = new BundleExporter(System.out).export(new ExportRequest(
                null, null, null, null, null, bundle, "maf-base-random", "test", MafShape.BASE, 7));
        double exportSeconds = (System.nanoTime() - start) / 1e9;

        assertThat(manifest.trained()).isFalse();
        assertThat(manifest.description()).startsWith("UNTRAINED");
        assertThat(manifest.image().regionChannels()).isEqualTo(2048);
        assertThat(manifest.text().bert().numLayers()).isEqualTo(12);
        // Weights live in variables/, the graphs stay small.
        assertThat(Files.size(BundleLayout.textModel(bundle).resolve("saved_model.pb"))).isLessThan(5_000_000);
        assertThat(Files.size(BundleLayout.imageModel(bundle).resolve("saved_model.pb"))).isLessThan(5_000_000);

        int batch = 2;
        Random random = new Random(1);
        float[] pixels = new float[batch * 224 * 224 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        long runStart = System.nanoTime();
        float[] regions;
        try (SavedModelRunner image = new SavedModelRunner(BundleLayout.imageModel(bundle), BundleLayout.IMAGE_SIGNATURE)) {
            regions = image.run(Map.of("pixels", Input.of(pixels, batch, 224, 224, 3))).get("regions");
        }
        assertThat(regions).hasSize(batch * 49 * 2048);
        assertAllFinite(regions, "regions");

        int[] ids = new int[batch * 128];
        int[] mask = new int[batch * 128];
        for (int i = 0; i < 20; i++) {
            ids[i] = 1000 + i;
            mask[i] = 1;
            ids[128 + i] = 2000 + i;
            mask[128 + i] = 1;
        }
        Map<String, float[]> out;
        try (SavedModelRunner text = new SavedModelRunner(BundleLayout.textModel(bundle), BundleLayout.TEXT_SIGNATURE)) {
            Map<String, Input> inputs = new LinkedHashMap<>();
            inputs.put("input_ids", Input.of(ids, batch, 128));
            inputs.put("input_mask", Input.of(mask, batch, 128));
            inputs.put("segment_ids", Input.of(new int[batch * 128], batch, 128));
            inputs.put("regions", Input.of(regions, batch, 49, 2048));
            out = text.run(inputs);
        }
        double runSeconds = (System.nanoTime() - runStart) / 1e9;
        assertThat(out.get("emissions")).hasSize(batch * 128 * 13);
        float[] retain = out.get("retain_score");
        assertThat(retain).hasSize(batch);
        for (float p : retain) {
            assertThat(p).isBetween(0f, 1f);
        }
        assertThat(out.get("gate_mean")).hasSize(batch * 128);
        assertAllFinite(out.get("emissions"), "emissions");

        System.out.printf("full-size export: %.1f s, bundle %d MB, load + one batch of %d: %.1f s, peak RSS %d MB%n",
                exportSeconds, directorySize(bundle) >> 20, batch, runSeconds, peakRssMegabytes());
    }

    private static void assertAllFinite(float[] values, String name) {
        long nonFinite = java.util.stream.IntStream.range(0, values.length).filter(i -> !Float.isFinite(values[i])).count();
        assertThat(nonFinite).as("non-finite %s", name).isZero();
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** VmHWM: the most resident memory this JVM (heap, TensorFlow's native memory, all) has used. */
    static long peakRssMegabytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmHWM:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
                .findFirst().orElse(-1);
    }
}
