package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.mafstream.job.testing.TrainedTextBundle;
import org.mafstream.model.bundle.Sha256;
import org.mafstream.model.export.TrainedTextModel;
import org.mafstream.model.scoring.SpanScores;
import org.mafstream.model.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The evaluate tool scores the shipped bundle through the job's runtime (adapters merged into
 * BERT's weights, TensorFlow graph at the batch's length bucket, batched, Viterbi) and must find
 * exactly the counts the fine-tuner recorded for the same file with its own graph (adapters
 * beside the frozen weights, its own batching): two independent paths that must agree.
 */
public class EvaluateModelIT {
    private static final Path TEST = Fixtures.data("twitter2017/test.txt");

    @Test
    void runtimeScoresEqualTheCountsTheTrainerRecorded() throws Exception {
        Path bundle = TrainedTextBundle.path();
        EvaluateModel.Result runtime = EvaluateModel.evaluate(
                new EvaluateModel.Settings(bundle, TEST, 16, Long.MAX_VALUE, false, null), new PrintStream(OutputStream.nullOutputStream()));
        JsonNode training = TrainedTextModel.builtIn().heads().training();
        JsonNode recorded = training.path("test");
        assertThat(training.path("data").findValuesAsText("sha256")).contains(Sha256.of(TEST));

        System.out.printf("evaluate (runtime) on the %d Twitter-2017 test sentences:%n%s", runtime.original().sentences(),
                runtime.original().format());
        assertThat(counts(runtime.original().overall())).isEqualTo(counts(recorded.path("overall")));
        for (String type : List.of("PER", "LOC", "ORG", "MISC")) {
            assertThat(counts(runtime.original().perType().get(type))).as(type).isEqualTo(counts(recorded.path("perType").path(type)));
        }
        // A fine-tuned model, well above the frozen-feature heads' 74.8.
        assertThat(runtime.original().f1()).isGreaterThan(0.8);
        // The job's entity spans miss only what the original counts differently (X, [CLS], [SEP]).
        assertThat(runtime.spans().overall().gold()).isEqualTo(runtime.original().overall().gold());
    }

    private static List<Long> counts(SpanScores.Counts counts) {
        return List.of(counts.correct(), counts.predicted(), counts.gold());
    }

    private static List<Long> counts(JsonNode figures) {
        return List.of(figures.path("correct").asLong(-1), figures.path("predicted").asLong(-1), figures.path("gold").asLong(-1));
    }

    /** The bundle's length buckets (batches of tweets run at 16-64 positions) change no tag against its full 128. */
    @Test
    void lengthBucketsGiveTheTagsOfTheFullLength() throws Exception {
        Path bundle = TrainedTextBundle.path();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        EvaluateModel.Result buckets = EvaluateModel.evaluate(new EvaluateModel.Settings(bundle, TEST, 8, 40, false, null), quiet);
        EvaluateModel.Result full = EvaluateModel.evaluate(new EvaluateModel.Settings(bundle, TEST, 8, 40, true, null), quiet);
        assertThat(buckets.tags()).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(buckets.tags().get(i)).as("sentence %d", i).containsExactly(full.tags().get(i));
        }
        assertThat(buckets.original().overall()).isEqualTo(full.original().overall());
    }

    @Test
    void aMissingBundleOptionIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EvaluateModel.run(new String[] {"--data", TEST.toString()},
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bundle");
    }
}
