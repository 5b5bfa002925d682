package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.mafstream.model.decode.CrfLattice;

/** The CRF's partition, marginals and NLL gradients against brute force and finite differences. */
class LinearChainCrfTest {
    private static final int TAGS = 3;

    @Test
    void partitionAndMarginalsMatchEnumeratingEverySequence() {
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int length = 1 + random.nextInt(5);
            LinearChainCrf crf = randomCrf(random);
            double[][] emissions = gaussian(random, length, TAGS);

            double partition = 0;
            double[][] node = new double[length][TAGS];
            double[][][] pair = new double[length][TAGS][TAGS];
            for (int[] sequence : allSequences(length)) {
                double weight = Math.exp(crf.score(emissions, sequence, length));
                partition += weight;
                for (int t = 0; t < length; t++) {
                    node[t][sequence[t]] += weight;
                    if (t > 0) {
                        pair[t][sequence[t - 1]][sequence[t]] += weight;
                    }
                }
            }

            CrfLattice lattice = crf.lattice(emissions, length);
            assertThat(lattice.logPartition()).as("trial %d", trial).isCloseTo(Math.log(partition), within(1e-10));
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < TAGS; j++) {
                    assertThat(lattice.marginal(t, j)).isCloseTo(node[t][j] / partition, within(1e-12));
                    for (int i = 0; t > 0 && i < TAGS; i++) {
                        assertThat(lattice.pairMarginal(t, i, j)).isCloseTo(pair[t][i][j] / partition, within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void nllIsMinusTheLogProbabilityOfTheGoldSequence() {
        Random random = new Random(11);
        LinearChainCrf crf = randomCrf(random);
        double[][] emissions = gaussian(random, 4, TAGS);
        int[] gold = {2, 0, 0, 1};
        double partition = 0;
        for (int[] sequence : allSequences(4)) {
            partition += Math.exp(crf.score(emissions, sequence, 4));
        }
        double expected = -(crf.score(emissions, gold, 4) - Math.log(partition));

        double nll = crf.negativeLogLikelihood(emissions, gold, 4, new double[4][TAGS], new LinearChainCrf(TAGS));

        assertThat(nll).isCloseTo(expected, within(1e-10)).isPositive();
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Random random = new Random(3);
        for (int trial = 0; trial < 10; trial++) {
            int length = 1 + random.nextInt(5);
            LinearChainCrf crf = randomCrf(random);
            double[][] emissions = gaussian(random, length, TAGS);
            int[] gold = random.ints(length, 0, TAGS).toArray();
            double[][] emissionGradient = new double[length][TAGS];
            LinearChainCrf gradient = new LinearChainCrf(TAGS);
            crf.negativeLogLikelihood(emissions, gold, length, emissionGradient, gradient);
            DoubleSupplier nll = () -> crf.negativeLogLikelihood(emissions, gold, length, new double[length][TAGS],
                    new LinearChainCrf(TAGS));

            for (int t = 0; t < length; t++) {
                for (int j = 0; j < TAGS; j++) {
                    assertThat(emissionGradient[t][j]).as("d/d e[%d][%d]", t, j)
                            .isCloseTo(numeric(emissions[t], j, nll), within(1e-6));
                }
            }
            for (int j = 0; j < TAGS; j++) {
                assertThat(gradient.start[j]).as("d/d start[%d]", j).isCloseTo(numeric(crf.start, j, nll), within(1e-6));
                assertThat(gradient.end[j]).as("d/d end[%d]", j).isCloseTo(numeric(crf.end, j, nll), within(1e-6));
                for (int i = 0; i < TAGS; i++) {
                    assertThat(gradient.transitions[i][j]).as("d/d transitions[%d][%d]", i, j)
                            .isCloseTo(numeric(crf.transitions[i], j, nll), within(1e-6));
                }
            }
        }
    }

    @Test
    void gradientsAccumulateIntoTheCrfGradient() {
        Random random = new Random(5);
        LinearChainCrf crf = randomCrf(random);
        double[][] emissions = gaussian(random, 3, TAGS);
        int[] gold = {0, 1, 2};
        LinearChainCrf once = new LinearChainCrf(TAGS);
        crf.negativeLogLikelihood(emissions, gold, 3, new double[3][TAGS], once);
        LinearChainCrf twice = new LinearChainCrf(TAGS);
        crf.negativeLogLikelihood(emissions, gold, 3, new double[3][TAGS], twice);
        crf.negativeLogLikelihood(emissions, gold, 3, new double[3][TAGS], twice);

        for (int i = 0; i < TAGS; i++) {
            assertThat(twice.start[i]).isCloseTo(2 * once.start[i], within(1e-12));
            assertThat(twice.transitions[i][(i + 1) % TAGS]).isCloseTo(2 * once.transitions[i][(i + 1) % TAGS], within(1e-12));
        }
        assertThat(once.start[0]).isNotZero();
    }

    /** Central difference of f with respect to values[index]. */
    static double numeric(double[] values, int index, DoubleSupplier f) {
        double h = 1e-5;
        double saved = values[index];
        values[index] = saved + h;
        double up = f.getAsDouble();
        values[index] = saved - h;
        double down = f.getAsDouble();
        values[index] = saved;
        return (up - down) / (2 * h);
    }

    static LinearChainCrf randomCrf(Random random) {
        LinearChainCrf crf = new LinearChainCrf(TAGS);
        fill(random, crf.start);
        fill(random, crf.end);
        for (double[] row : crf.transitions) {
            fill(random, row);
        }
        return crf;
    }

    static double[][] gaussian(Random random, int rows, int columns) {
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            fill(random, row);
        }
        return values;
    }

    private static void fill(Random random, double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
    }

    private static java.util.List<int[]> allSequences(int length) {
        java.util.List<int[]> sequences = new java.util.ArrayList<>();
        int count = (int) Math.pow(TAGS, length);
        for (int code = 0; code < count; code++) {
            int[] sequence = new int[length];
            for (int t = 0, c = code; t < length; t++, c /= TAGS) {
                sequence[t] = c % TAGS;
            }
            sequences.add(sequence);
        }
        return sequences;
    }
}
