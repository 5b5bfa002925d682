package org.mafstream.model.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mafstream.model.bundle.CrfParameters;
import org.mafstream.model.checkpoint.TorchCheckpoint;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.testing.Npz;

class CrfDecodingTest {

    /** The original's tags for the golden emissions, decoded with the checkpoint's CRF. */
    @Test
    void viterbiReproducesTheOriginalTagsOnTheGoldenEmissions() throws Exception {
        Path fixture = Fixtures.mafTiny();
        CrfParameters crf;
        try (TorchCheckpoint model = TorchCheckpoint.open(fixture.resolve("pytorch_model.bin"))) {
            crf = CrfParameters.of(model.readFloats("crf.start_transitions", 13), model.readFloats("crf.end_transitions", 13),
                    model.readFloats("crf.transitions", 13, 13));
        }
        Map<String, Npz.Array> golden = Npz.read(fixture.resolve("golden.npz"));
        float[] emissions = golden.get("emissions").floats();
        int[] tags = golden.get("tags").ints();
        int[] lengths = golden.get("lengths").ints();
        ViterbiDecoder viterbi = new ViterbiDecoder(crf);
        for (int b = 0; b < 4; b++) {
            float[][] e = new float[128][];
            for (int t = 0; t < 128; t++) {
                e[t] = Arrays.copyOfRange(emissions, (b * 128 + t) * 13, (b * 128 + t + 1) * 13);
            }
            assertThat(viterbi.decode(e, lengths[b])).as("example %d", b)
                    .containsExactly(Arrays.copyOfRange(tags, b * 128, b * 128 + lengths[b]));
        }
    }

    /** Against brute force over every tag sequence of small random CRFs. */
    @Test
    void viterbiAndMarginalsAgreeWithExhaustiveEnumeration() {
        Random random = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int tags = 2 + random.nextInt(3);
            int length = 1 + random.nextInt(5);
            float[][] transitions = new float[tags][];
            for (int i = 0; i < tags; i++) {
                transitions[i] = gaussian(random, tags);
            }
            CrfParameters crf = new CrfParameters(gaussian(random, tags), gaussian(random, tags), transitions);
            float[][] emissions = new float[length][];
            for (int t = 0; t < length; t++) {
                emissions[t] = gaussian(random, tags);
            }

            double[][] expectedMarginals = new double[length][tags];
            double partition = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            int[] best = null;
            int sequences = (int) Math.pow(tags, length);
            for (int code = 0; code < sequences; code++) {
                int[] seq = new int[length];
                for (int t = 0, c = code; t < length; t++, c /= tags) {
                    seq[t] = c % tags;
                }
                double score = crf.start()[seq[0]] + emissions[0][seq[0]] + crf.end()[seq[length - 1]];
                for (int t = 1; t < length; t++) {
                    score += crf.transitions()[seq[t - 1]][seq[t]] + emissions[t][seq[t]];
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = seq;
                }
                double weight = Math.exp(score);
                partition += weight;
                for (int t = 0; t < length; t++) {
                    expectedMarginals[t][seq[t]] += weight;
                }
            }

            assertThat(new ViterbiDecoder(crf).decode(emissions, length)).as("trial %d", trial).containsExactly(best);
            double[][] marginals = new CrfMarginals(crf).compute(emissions, length);
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < tags; j++) {
                    assertThat(marginals[t][j]).isCloseTo(expectedMarginals[t][j] / partition, within(1e-6));
                }
            }
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
