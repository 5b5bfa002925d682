package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.testing.AdapterWeights;
import org.mafstream.model.testing.Comparison;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.weights.WeightSource;

/**
 * The training graph's loss is the Java CRF's NLL of its emissions, its gradients are those of
 * the whole loss (checked against finite differences of the loss itself), and following them
 * lowers the loss.
 */
class TextTrainingGraphTest {
    private static final LowRankAdapters PLAN = LowRankAdapters.onBertProjections(4, 8f);
    private static final TextTrainingGraph.Batch BATCH = new TextTrainingGraph.Batch(
            new int[][] {{101, 1200, 1300, 1400, 1500, 102}, {101, 2200, 2300, 102}},
            new int[][] {{11, 5, 6, 1, 8, 12}, {11, 3, 10, 12}});

    @BeforeAll
    static void engine() {
        Engine.getEngine("TensorFlow");
    }

    private static WeightSource weights() {
        return AdapterWeights.random(5);
    }

    private static boolean adaptersAndClassifier(String key) {
        return key.contains(".lora_") || key.startsWith("classifier.") || key.startsWith("crf.");
    }

    @Test
    void gradientsOfTheLossMatchFiniteDifferences() throws Exception {
        try (TextTrainingGraph graph = new TextTrainingGraph(MafShape.TINY, PLAN, weights(),
                TextTrainingGraphTest::adaptersAndClassifier)) {
            assertThat(graph.trainable()).hasSize(2 * 6 * 2 + 2 + 3);
            TextTrainingGraph.Step step = graph.step(BATCH);
            double worst = 0;
            for (String key : List.of("classifier.weight", "crf.transitions", "crf.start_transitions", "bert.encoder.layer.0.attention.self.query.lora_A",
                    "bert.encoder.layer.1.output.dense.lora_B", "bert.encoder.layer.0.intermediate.dense.lora_B")) {
                float[] gradient = step.gradients().get(graph.trainable().indexOf(key));
                int at = Comparison.argMaxAbs(gradient);
                double numeric = centralDifference(graph, key, at, 0);
                double error = Math.abs(numeric - gradient[at]) / (Math.abs(gradient[at]) + 0.05);
                worst = Math.max(worst, error);
                assertThat(gradient[at]).as(key).isNotZero();
                assertThat(error).as("%s[%d]: analytic %s, numeric %s", key, at, gradient[at], numeric).isLessThan(2e-2);
            }
            System.out.printf("training graph: loss %.4f, largest gradient error against finite differences %.2e%n",
                    step.loss(), worst);
        }
    }

    @Test
    void theGraphsLossIsTheJavaCrfsNegativeLogLikelihoodOfItsEmissions() throws Exception {
        try (TextTrainingGraph graph = new TextTrainingGraph(MafShape.TINY, PLAN, weights(),
                TextTrainingGraphTest::adaptersAndClassifier)) {
            LinearChainCrf crf = new LinearChainCrf(13);
            float[] start = graph.value(HeadParameters.START);
            float[] end = graph.value(HeadParameters.END);
            float[] transitions = graph.value(HeadParameters.TRANSITIONS);
            for (int i = 0; i < 13; i++) {
                crf.start[i] = start[i];
                crf.end[i] = end[i];
                for (int j = 0; j < 13; j++) {
                    crf.transitions[i][j] = transitions[i * 13 + j];
                }
            }
            float[][][] emissions = graph.emissions(BATCH.tokenIds());
            double expected = 0;
            for (int s = 0; s < BATCH.size(); s++) {
                double[][] e = new double[emissions[s].length][13];
                for (int t = 0; t < e.length; t++) {
                    for (int j = 0; j < 13; j++) {
                        e[t][j] = emissions[s][t][j];
                    }
                }
                expected += crf.negativeLogLikelihood(e, BATCH.gold()[s], e.length, new double[e.length][13],
                        new LinearChainCrf(13)) / BATCH.size();
            }
            assertThat(expected).isGreaterThan(1);
            assertThat(graph.loss(BATCH)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4 * expected));
        }
    }

    @Test
    void gradientStepsLowerTheLoss() throws Exception {
        try (TextTrainingGraph graph = new TextTrainingGraph(MafShape.TINY, PLAN, weights(),
                TextTrainingGraphTest::adaptersAndClassifier)) {
            double first = graph.loss(BATCH);
            for (int i = 0; i < 10; i++) {
                TextTrainingGraph.Step step = graph.step(BATCH);
                for (int w = 0; w < graph.trainable().size(); w++) {
                    String key = graph.trainable().get(w);
                    float[] value = graph.value(key);
                    float[] gradient = step.gradients().get(w);
                    for (int k = 0; k < value.length; k++) {
                        value[k] -= 0.5f * gradient[k];
                    }
                    graph.assign(key, value);
                }
            }
            double last = graph.loss(BATCH);
            System.out.printf("training graph: loss %.4f -> %.4f after 10 gradient steps%n", first, last);
            assertThat(last).isLessThan(0.5 * first);
        }
    }

    @Test
    void dropoutMasksFollowTheSeedAndTheGradientHoldsForAFixedMask() throws Exception {
        try (TextTrainingGraph plain = new TextTrainingGraph(MafShape.TINY, PLAN, weights(),
                     TextTrainingGraphTest::adaptersAndClassifier);
             TextTrainingGraph dropping = new TextTrainingGraph(MafShape.TINY, PLAN, 0.1f, weights(),
                     TextTrainingGraphTest::adaptersAndClassifier)) {
            double seven = dropping.loss(BATCH, 7);
            assertThat(dropping.loss(BATCH, 7)).isEqualTo(seven);
            assertThat(dropping.loss(BATCH, 8)).isNotEqualTo(seven);
            assertThat(plain.loss(BATCH, 7)).isNotEqualTo(seven).isEqualTo(plain.loss(BATCH, 8));

            String key = "bert.encoder.layer.1.attention.self.value.lora_B";
            float[] gradient = dropping.step(BATCH, 7).gradients().get(dropping.trainable().indexOf(key));
            int at = Comparison.argMaxAbs(gradient);
            double numeric = centralDifference(dropping, key, at, 7);
            assertThat(Math.abs(numeric - gradient[at]) / (Math.abs(gradient[at]) + 0.05)).isLessThan(2e-2);
        }
    }

    /** (loss(w + h) − loss(w − h)) / 2h at one entry of {@code key}, with the dropout masks of {@code seed}; restores w. */
    private static double centralDifference(TextTrainingGraph graph, String key, int at, long seed) {
        float[] original = graph.value(key);
        float h = 1e-2f;
        float[] moved = original.clone();
        moved[at] = original[at] + h;
        graph.assign(key, moved);
        double plus = graph.loss(BATCH, seed);
        moved[at] = original[at] - h;
        graph.assign(key, moved);
        double minus = graph.loss(BATCH, seed);
        graph.assign(key, original);
        return (plus - minus) / (2 * h);
    }
}
