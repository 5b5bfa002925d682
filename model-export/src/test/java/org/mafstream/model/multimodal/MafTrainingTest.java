package org.mafstream.model.multimodal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ModelConfig;
import org.mafstream.model.arch.ResNetShape;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.graph.MafObjective;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.testing.Npz;
import org.mafstream.model.train.BertAdam;
import org.mafstream.model.train.FineTuneProgress;
import org.mafstream.model.train.TokenSentences;
import org.mafstream.model.train.TrainingLoop;
import org.mafstream.model.weights.TensorFile;

/**
 * A few epochs of the whole MAF on the fixture's 4 posts and images, the original's way (train-mode
 * encoder, negatives, BertAdam, dropout): the loss falls, the encoder's statistics drift and are
 * kept with the weights, and a resumed run ends where an uninterrupted one does.
 */
class MafTrainingTest {
    private static final int EPOCHS = 4;

    @TempDir
    Path dir;

    static MnerPosts posts;
    static Map<String, float[]> pixelsById;

    @BeforeAll
    static void load() throws Exception {
        Engine.getEngine("TensorFlow");
        Map<String, Npz.Array> golden = TrainGolden.arrays();
        MafTrainingGraph.Batch batch = TrainGolden.batch(golden, Negatives.of(TrainGolden.B, 0));
        List<String> ids = List.of("image_0", "image_1", "image_2", "image_3");
        posts = new MnerPosts(new TokenSentences("fixture", Arrays.asList(batch.tokenIds()),
                Arrays.asList(batch.gold()), null), ids);
        float[] all = Npz.read(Fixtures.mafTiny().resolve("golden.npz")).get("pixel_values").floats();
        pixelsById = new HashMap<>();
        int side = MafShape.IMAGE_SIZE;
        for (int b = 0; b < ids.size(); b++) {
            float[] nhwc = new float[side * side * 3];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < side * side; i++) {
                    nhwc[i * 3 + c] = all[(b * 3 + c) * side * side + i];
                }
            }
            pixelsById.put(ids.get(b), nhwc);
        }
    }

    @Test
    void theLossFallsTheEncoderStatisticsDriftAndAResumedRunEndsWhereAnUninterruptedOneDoes() throws Exception {
        TrainingLoop.Outcome outcome = train(dir.resolve("straight"), false, quiet());
        List<FineTuneProgress.EpochReport> epochs = outcome.progress().epochs();
        System.out.printf(Locale.ROOT, "MAF (tiny, original objective and optimiser): mean loss by epoch %s%n",
                epochs.stream().map(e -> String.format(Locale.ROOT, "%.2f", e.meanLoss())).toList());
        assertThat(epochs).hasSize(EPOCHS);
        assertThat(epochs.get(EPOCHS - 1).meanLoss()).isLessThan(0.7 * epochs.get(0).meanLoss());
        TensorFile straight = outcome.best();
        assertThat(MafTraining.batchesTracked(straight)).isEqualTo(outcome.progress().bestEpoch());
        assertThat(straight.tensors()).containsKeys("crs_classifier.weight", "crf.transitions", "resnet.bn1.running_mean");

        // Killed as step 3 is logged, one step after the checkpoint of step 2; a new process resumes.
        Path interrupted = dir.resolve("interrupted");
        assertThatThrownBy(() -> train(interrupted, false, dyingAt("step 3/"))).hasMessageContaining("killed");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TensorFile resumed = train(interrupted, true, new PrintStream(log, true, StandardCharsets.UTF_8)).best();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("resuming from").contains("step 2,");
        assertThat(resumed.sha256()).isEqualTo(straight.sha256());
    }

    /** A fresh process each time: the fixture's weights, a new encoder, the loop over the checkpoint directory. */
    private static TrainingLoop.Outcome train(Path checkpoints, boolean resume, PrintStream log) throws Exception {
        try (MafTrainingGraph graph = new MafTrainingGraph(MafShape.TINY, MafObjective.Weights.ORIGINAL, LowRankAdapters.NONE,
                0.1f, TrainGolden.weights("pytorch_model.bin"), key -> true, false);
             ImageFeatureGraph encoder = new ImageFeatureGraph(ResNetShape.TINY, TrainGolden.weights("pytorch_encoder.bin"), 0)) {
            MafTraining task = new MafTraining(graph, encoder, MafShape.TINY, posts, List.of(posts), MafTrainingTest::pixels,
                    new MafTraining.Settings(37, 4, 2, MafTraining.ImageStatistics.BATCH), ModelConfig.TWITTER_LABELS);
            // A constant rate (t_total −1) large enough to move a random model in a few steps.
            TrainingLoop loop = new TrainingLoop(new TrainingLoop.Settings("tiny MAF test", 37, EPOCHS, 2),
                    (names, parameters, total) -> new BertAdam(new BertAdam.Settings(2e-3, -1, -1), names, parameters,
                            BertAdam::decays), checkpoints, log);
            return loop.train(task, resume);
        }
    }

    private static float[] pixels(List<String> ids) {
        List<float[]> parts = new ArrayList<>();
        ids.forEach(id -> parts.add(pixelsById.get(id)));
        float[] all = new float[parts.size() * parts.get(0).length];
        for (int i = 0; i < parts.size(); i++) {
            System.arraycopy(parts.get(i), 0, all, i * parts.get(i).length, parts.get(i).length);
        }
        return all;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** A log that kills the run (an exception out of the loop) when a line containing {@code marker} is printed. */
    private static PrintStream dyingAt(String marker) {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                if (line.contains(marker)) {
                    throw new IllegalStateException("killed at: " + line);
                }
                super.println(line);
            }
        };
    }
}
