package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.bundle.BundleLayout;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.decode.ViterbiDecoder;
import org.mafstream.model.testing.Comparison;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.testing.Layouts;
import org.mafstream.model.testing.Npz;
import org.mafstream.model.testing.SavedModelRunner;
import org.mafstream.model.testing.SavedModelRunner.Input;

/**
 * Exports the maf-tiny checkpoint written by the original PyTorch code, runs the bundle through
 * DJL's TensorFlow engine on the golden inputs, and compares every intermediate and the Viterbi
 * tags with what the original computed.
 */
class GoldenParityTest {
    private static final double TOLERANCE = 1e-4;
    private static final int B = 4;
    private static final int L = 128;

    @TempDir
    static Path tmp;

    static Path bundle;
    static BundleManifest manifest;
    static Map<String, Npz.Array> golden;
    static int channels;

    @BeforeAll
    static void exportTheFixtureCheckpoint() throws IOException {
        Engine.getEngine("TensorFlow");
        Path fixture = Fixtures.mafTiny();
        bundle = tmp.resolve("bundle");
        manifest = new BundleExporter(System.out).export(new ExportRequest(
                fixture.resolve("pytorch_model.bin"), fixture.resolve("pytorch_encoder.bin"),
                fixture.resolve("config.json"), fixture.resolve("model_config.json"),
                null, bundle, "maf-tiny", "golden", null, 0));
        golden = Npz.read(fixture.resolve("golden.npz"));
        channels = manifest.image().regionChannels();
    }

    @Test
    void manifestDescribesTheCheckpoint() throws Exception {
        assertThat(manifest.labels()).containsExactly(
                "PAD", "O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "X", "[CLS]", "[SEP]");
        assertThat(manifest.trained()).isTrue();
        assertThat(manifest.image().regionChannels()).isEqualTo(256);
        assertThat(manifest.image().resnetBlocks()).containsExactly(1, 2, 1, 1);
        assertThat(manifest.sources()).extracting(BundleManifest.SourceFile::file)
                .containsExactly("pytorch_model.bin", "pytorch_encoder.bin", "config.json", "model_config.json");
        assertThat(manifest.vocab().size()).isEqualTo(28996);
        assertThat(Files.readAllLines(BundleLayout.vocab(bundle)).subList(100, 103)).containsExactly("[UNK]", "[CLS]", "[SEP]");
        // The fixture README's md5 of bert-base-cased's vocab.txt, the file the goldens were made with.
        assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(Files.readAllBytes(BundleLayout.vocab(bundle))))).isEqualTo("bb6ca9b42e790e5cd986bbb16444d0e0");
        assertThat(BundleManifest.read(bundle)).usingRecursiveComparison().isEqualTo(manifest);
    }

    @Test
    void imageEncoderMatchesTheOriginalResNet() throws Exception {
        try (SavedModelRunner image = new SavedModelRunner(BundleLayout.imageModel(bundle), BundleLayout.IMAGE_SIGNATURE)) {
            float[] regions = image.run(Map.of("pixels",
                    Input.of(Layouts.nhwc(golden.get("pixel_values").floats(), B, 3), B, 224, 224, 3))).get("regions");
            assertWithin("regions (layer4)", regions, Layouts.nhwc(golden.get("resnet_layer4").floats(), B, channels));
        }
    }

    @Test
    void textModelMatchesEveryIntermediateAndTheViterbiTags() throws Exception {
        Map<String, float[]> out;
        try (SavedModelRunner text = new SavedModelRunner(BundleLayout.textModel(bundle), BundleLayout.TEXT_DEBUG_SIGNATURE)) {
            Map<String, Input> inputs = new LinkedHashMap<>();
            inputs.put("input_ids", Input.of(golden.get("input_ids").ints(), B, L));
            inputs.put("input_mask", Input.of(golden.get("input_mask").ints(), B, L));
            inputs.put("segment_ids", Input.of(golden.get("segment_ids").ints(), B, L));
            inputs.put("regions", Input.of(Layouts.nhwc(golden.get("img_att").floats(), B, channels), B, 49, channels));
            out = text.run(inputs);
        }
        assertWithin("bert_embeddings", out.get("embeddings"), golden.get("bert_embeddings").floats());
        assertWithin("sequence_output", out.get("sequence_output"), golden.get("sequence_output").floats());
        assertWithin("vis", out.get("vis"), golden.get("vis").floats());
        assertWithin("cross_attention_sublayer", out.get("cross_attention_sublayer"), golden.get("cross_attention_sublayer").floats());
        assertWithin("cross", out.get("cross"), golden.get("cross").floats());
        assertWithin("crs_logits", out.get("crs_logits"), golden.get("crs_logits").floats());
        assertWithin("P (retain_score)", out.get("retain_score"), golden.get("P").floats());
        assertWithin("gate", out.get("gate"), golden.get("gate").floats());
        assertWithin("emissions", out.get("emissions"), golden.get("emissions").floats());

        int labels = manifest.labels().size();
        int[] goldenTags = golden.get("tags").ints();
        int[] lengths = golden.get("lengths").ints();
        for (int b = 0; b < B; b++) {
            float[][] emissions = new float[L][];
            for (int t = 0; t < L; t++) {
                emissions[t] = Arrays.copyOfRange(out.get("emissions"), (b * L + t) * labels, (b * L + t + 1) * labels);
            }
            int[] tags = new ViterbiDecoder(manifest.crf()).decode(emissions, lengths[b]);
            assertThat(tags).as("Viterbi tags of example %d", b)
                    .containsExactly(Arrays.copyOfRange(goldenTags, b * L, b * L + lengths[b]));
        }
    }

    private static void assertWithin(String name, float[] actual, float[] expected) {
        assertThat(actual).as(name + " output").isNotNull();
        double error = Comparison.maxRelativeError(actual, expected);
        System.out.printf("parity %-26s max relative error %.3e%n", name, error);
        assertThat(error).as("max relative error of %s", name).isLessThanOrEqualTo(TOLERANCE);
    }
}
