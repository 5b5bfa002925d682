package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void theFirstStepMovesEachParameterByTheLearningRateAgainstItsGradientSign() {
        double[] theta = {1, 1, 1};
        Adam adam = new Adam(List.of(theta), 0.1);

        adam.step(List.of(new double[] {3, -0.001, 0}));

        // Bias-corrected m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε).
        assertThat(theta[0]).isCloseTo(0.9, within(1e-9));
        assertThat(theta[1]).isCloseTo(1.1, within(1e-6));
        assertThat(theta[2]).isEqualTo(1);
    }

    @Test
    void minimisesAQuadratic() {
        double[] theta = {5, -3};
        Adam adam = new Adam(List.of(theta), 0.05);
        for (int i = 0; i < 2000; i++) {
            adam.step(List.of(new double[] {2 * (theta[0] - 1), 2 * (theta[1] + 2)}));
        }
        assertThat(theta[0]).isCloseTo(1, within(1e-3));
        assertThat(theta[1]).isCloseTo(-2, within(1e-3));
    }
}
