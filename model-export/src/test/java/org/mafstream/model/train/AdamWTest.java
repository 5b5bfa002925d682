package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.testing.AdapterWeights;

class AdamWTest {
    private static final AdamW.Settings SETTINGS = new AdamW.Settings(1e-2, 0.01, 2, 10, 1.0);
    private static final TextTrainingGraph.Batch BATCH = new TextTrainingGraph.Batch(
            new int[][] {{101, 1200, 1300, 1400, 1500, 102}, {101, 2200, 2300, 102}},
            new int[][] {{11, 5, 6, 1, 8, 12}, {11, 3, 10, 12}});

    @TempDir
    Path dir;

    @Test
    void oneStepByHand() {
        // lr at step 1 of 2 warm-up steps = 0.5e-2; gradient (3, 4) has norm 5, clipped to 1: (0.6, 0.8).
        float[] theta = {1f, -1f};
        AdamW adam = new AdamW(SETTINGS, List.of("w"), List.of(theta), name -> true);
        double norm = adam.step(List.of(new float[] {3f, 4f}));
        assertThat(norm).isEqualTo(5.0);
        // Bias-corrected first step: m̂ = g, v̂ = g², so the update is lr·g/(|g| + ε) = lr·sign(g).
        double lr = 0.5e-2;
        assertThat((double) theta[0]).isCloseTo(1 - lr * 0.6 / (0.6 + 1e-8) - lr * 0.01 * 1, org.assertj.core.data.Offset.offset(1e-7));
        assertThat((double) theta[1]).isCloseTo(-1 - lr * 0.8 / (0.8 + 1e-8) + lr * 0.01 * 1, org.assertj.core.data.Offset.offset(1e-7));
    }

    @Test
    void learningRateWarmsUpThenFallsToZero() {
        AdamW adam = new AdamW(SETTINGS, List.of("w"), List.of(new float[1]), name -> true);
        assertThat(adam.learningRateAt(1)).isEqualTo(0.5e-2);
        assertThat(adam.learningRateAt(2)).isEqualTo(1e-2);
        assertThat(adam.learningRateAt(6)).isCloseTo(0.5e-2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(adam.learningRateAt(10)).isZero();
        assertThat(adam.learningRateAt(12)).isZero();
    }

    @Test
    void aResumedRunTakesExactlyTheStepsOfAnUninterruptedOne() throws Exception {
        Engine.getEngine("TensorFlow");
        List<float[]> straight = train(6, null, null);
        Path checkpoint = dir.resolve("state.bin");
        train(3, checkpoint, null);
        List<float[]> resumed = train(3, null, checkpoint);
        assertThat(resumed).hasSameSizeAs(straight);
        for (int b = 0; b < straight.size(); b++) {
            assertThat(resumed.get(b)).containsExactly(straight.get(b));
        }
    }

    @Test
    void aCheckpointOfAnotherModelIsRefused() throws IOException {
        Path checkpoint = dir.resolve("other.bin");
        new AdamW(SETTINGS, List.of("a"), List.of(new float[3]), name -> true).save(checkpoint);
        AdamW adam = new AdamW(SETTINGS, List.of("b"), List.of(new float[3]), name -> true);
        assertThatThrownBy(() -> adam.restore(checkpoint)).isInstanceOf(IOException.class).hasMessageContaining("expected b");
    }

    /**
     * {@code steps} AdamW steps on the tiny training graph, after restoring {@code from} if given,
     * saving to {@code to} if given; returns the trainable weights.
     */
    private static List<float[]> train(int steps, Path to, Path from) throws Exception {
        try (TextTrainingGraph graph = new TextTrainingGraph(MafShape.TINY, LowRankAdapters.onBertProjections(4, 8f),
                AdapterWeights.random(5), key -> key.contains(".lora_") || key.startsWith("classifier.") || key.startsWith("crf."))) {
            List<float[]> parameters = new ArrayList<>();
            for (String key : graph.trainable()) {
                parameters.add(graph.value(key));
            }
            AdamW adam = new AdamW(SETTINGS, graph.trainable(), parameters, key -> !key.endsWith(".bias"));
            if (from != null) {
                adam.restore(from);
                assign(graph, parameters);
            }
            double first = graph.loss(BATCH);
            for (int i = 0; i < steps; i++) {
                adam.step(graph.step(BATCH).gradients());
                assign(graph, parameters);
            }
            assertThat(graph.loss(BATCH)).isLessThan(first);
            if (to != null) {
                adam.save(to);
            }
            return parameters;
        }
    }

    private static void assign(TextTrainingGraph graph, List<float[]> parameters) {
        for (int b = 0; b < parameters.size(); b++) {
            graph.assign(graph.trainable().get(b), parameters.get(b));
        }
    }
}
