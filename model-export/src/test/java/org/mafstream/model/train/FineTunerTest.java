package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.testing.AdapterWeights;
import org.mafstream.model.weights.TensorFile;

/**
 * The fine-tuner on the tiny MAF text graph: a few epochs lower the loss and raise valid F1, and
 * a run that dies mid-epoch and is resumed ends with exactly the weights of an uninterrupted run.
 */
class FineTunerTest {
    private static final FineTuneSettings SETTINGS =
            new FineTuneSettings(FineTuneSettings.Mode.LORA, 7, 3, 8, 1e-2, 0.01, 0.1, 1.0, 4, 8f, 0.1f, 4);
    private static final TokenSentences TRAIN = sentences("train", 48, 1);
    private static final TokenSentences VALID = sentences("valid", 16, 2);

    /** One graph for the whole class (TensorFlow optimises a graph on its first run of each kind, which takes a while). */
    private static TextTrainingGraph graph;
    private static Map<String, float[]> initial;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildGraph() throws IOException {
        Engine.getEngine("TensorFlow");
        graph = new TextTrainingGraph(MafShape.TINY, SETTINGS.adapters(), SETTINGS.dropout(), AdapterWeights.random(3),
                SETTINGS.trainable());
        initial = new java.util.LinkedHashMap<>();
        trainedValues().forEach((key, tensor) -> initial.put(key, tensor.values()));
    }

    @AfterAll
    static void closeGraph() {
        graph.close();
    }

    /** Every run starts from the same weights. */
    @BeforeEach
    void resetWeights() {
        graph.assignAllStored(initial);
    }

    @Test
    void aFewEpochsLowerTheLossAndRaiseValidF1() throws Exception {
        double before = FineTuner.evaluate(graph, VALID, ModelConfig.TWITTER_LABELS).f1();
        FineTuneSettings longer = new FineTuneSettings(FineTuneSettings.Mode.LORA, 7, 10, 8, 2e-2, 0.01, 0.1, 1.0, 4, 8f,
                0.1f, 100);
        TrainingLoop.Outcome outcome = new FineTuner(longer, ModelConfig.TWITTER_LABELS, dir, quiet())
                .train(graph, TRAIN, List.of(VALID), false);
        List<FineTuneProgress.EpochReport> epochs = outcome.progress().epochs();
        System.out.printf("fine-tuner (tiny): mean loss by epoch %s, valid F1 %.3f -> %.3f (epoch %d)%n",
                epochs.stream().map(e -> String.format(java.util.Locale.ROOT, "%.2f", e.meanLoss())).toList(), before,
                outcome.bestEpoch().selectionF1(), outcome.progress().bestEpoch());
        assertThat(epochs).hasSize(10);
        assertThat(epochs.get(9).meanLoss()).isLessThan(0.5 * epochs.get(0).meanLoss());
        assertThat(outcome.bestEpoch().selectionF1()).isGreaterThan(before + 0.2);
        assertThat(outcome.best().tensors().keySet()).containsExactlyElementsOf(graph.trainable());
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws Exception {
        new FineTuner(SETTINGS, ModelConfig.TWITTER_LABELS, dir.resolve("straight"), quiet()).train(graph, TRAIN, List.of(VALID), false);
        Map<String, TensorFile.Tensor> straight = trainedValues();

        resetWeights();
        Path interrupted = dir.resolve("interrupted");
        // Dies as step 10 is logged: mid-epoch 2, two steps after the checkpoint of step 8.
        assertThatThrownBy(() -> new FineTuner(SETTINGS, ModelConfig.TWITTER_LABELS, interrupted, dyingAt("step 10/"))
                .train(graph, TRAIN, List.of(VALID), false)).hasMessageContaining("killed");

        resetWeights(); // a new process starts from the initial weights; the checkpoint brings it to step 8
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new FineTuner(SETTINGS, ModelConfig.TWITTER_LABELS, interrupted, new PrintStream(log, true, StandardCharsets.UTF_8))
                .train(graph, TRAIN, List.of(VALID), true);
        Map<String, TensorFile.Tensor> resumed = trainedValues();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("resuming from").contains("step 8,");
        assertThat(resumed.keySet()).containsExactlyElementsOf(straight.keySet());
        straight.forEach((key, tensor) -> assertThat(resumed.get(key).values()).as(key).containsExactly(tensor.values()));
        TensorFile bestStraight = TensorFile.read(dir.resolve("straight"), FineTuner.BEST);
        TensorFile bestResumed = TensorFile.read(interrupted, FineTuner.BEST);
        assertThat(bestResumed.sha256()).isEqualTo(bestStraight.sha256());
    }

    @Test
    void aCheckpointIsNotOverwrittenWithoutResumeNorResumedWithOtherSettings() throws Exception {
        FineTuneSettings oneEpoch = new FineTuneSettings(FineTuneSettings.Mode.LORA, 7, 1, 8, 1e-2, 0.01, 0.1, 1.0, 4, 8f,
                0.1f, 4);
        new FineTuner(oneEpoch, ModelConfig.TWITTER_LABELS, dir, quiet()).train(graph, TRAIN, List.of(VALID), false);
        assertThatThrownBy(() -> new FineTuner(oneEpoch, ModelConfig.TWITTER_LABELS, dir, quiet())
                .train(graph, TRAIN, List.of(VALID), false)).isInstanceOf(IOException.class).hasMessageContaining("--resume");
        assertThatThrownBy(() -> new FineTuner(SETTINGS, ModelConfig.TWITTER_LABELS, dir, quiet())
                .train(graph, TRAIN, List.of(VALID), true)).isInstanceOf(IOException.class).hasMessageContaining("another run");
    }

    private static Map<String, TensorFile.Tensor> trainedValues() {
        Map<String, TensorFile.Tensor> values = new java.util.LinkedHashMap<>();
        List<float[]> stored = graph.storedTrainableValues();
        for (int i = 0; i < stored.size(); i++) {
            String key = graph.trainable().get(i);
            values.put(key, new TensorFile.Tensor(graph.storedShape(key), stored.get(i)));
        }
        return values;
    }

    /**
     * Sentences whose tags can be read off their tokens: each tag has its own token id (X, a
     * word's second subword, too).
     */
    private static TokenSentences sentences(String name, int count, long seed) {
        TaggedSentences tagged = SyntheticSentences.generate(name, count, seed, 0);
        List<int[]> ids = new ArrayList<>();
        for (int[] tags : tagged.gold()) {
            int[] tokens = new int[tags.length];
            for (int t = 0; t < tags.length; t++) {
                tokens[t] = t == 0 ? 101 : t == tags.length - 1 ? 102 : 1000 + 40 * tags[t];
            }
            ids.add(tokens);
        }
        return new TokenSentences(name, ids, tagged.gold(), null);
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    /** A log that throws once a line starting with {@code prefix} is written, as if the process died there. */
    private static PrintStream dyingAt(String prefix) {
        return new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public void println(String line) {
                if (line.startsWith(prefix)) {
                    throw new IllegalStateException("killed at: " + line);
                }
            }
        };
    }
}
