package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class TextHeadTest {

    @Test
    void emissionsAreTheClassifierOverTheTextFeatures() {
        TextHead head = TextHead.zeros(2, 3);
        head.weight[0] = new double[] {1, 0, 0};
        head.weight[1] = new double[] {0, 2, -1};
        head.bias[1] = 0.5;
        SentenceFeatures features = SentenceFeatures.of(3, new int[] {1, 2}, new float[] {9, 9, 9, 1, 2, 3, 4, 5, 6}, "k");

        double[][] emissions = head.emissions(features, 1);

        assertThat(emissions).hasDimensions(2, 2);
        assertThat(emissions[0]).containsExactly(1, 2 * 2 - 3 + 0.5);
        assertThat(emissions[1]).containsExactly(4, 2 * 5 - 6 + 0.5);
    }

    @Test
    void weightAndBiasGradientsMatchFiniteDifferences() {
        Random random = new Random(1);
        int tags = 3;
        int hidden = 4;
        TextHead head = TextHead.initialised(tags, hidden, 9);
        head.weight[1][2] = 0.7; // well away from zero, so the check sees a real slope
        for (double[] row : head.crf.transitions) {
            row[random.nextInt(tags)] = random.nextGaussian();
        }
        float[] values = new float[5 * hidden];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        SentenceFeatures features = SentenceFeatures.of(hidden, new int[] {5}, values, "k");
        int[] gold = {0, 2, 2, 1, 0};
        TextHead gradient = TextHead.zeros(tags, hidden);
        head.addGradient(features, 0, gold, gradient);
        DoubleSupplier nll = () -> head.addGradient(features, 0, gold, TextHead.zeros(tags, hidden));

        for (int j = 0; j < tags; j++) {
            assertThat(gradient.bias[j]).isCloseTo(LinearChainCrfTest.numeric(head.bias, j, nll), within(1e-6));
            for (int h = 0; h < hidden; h++) {
                assertThat(gradient.weight[j][h]).as("d/d W[%d][%d]", j, h)
                        .isCloseTo(LinearChainCrfTest.numeric(head.weight[j], h, nll), within(1e-6));
            }
        }
        assertThat(gradient.weight[1][2]).isNotZero();
    }
}
