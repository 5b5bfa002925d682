package org.mafstream.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.inference.ModelFailedException;
import org.mafstream.job.testing.BundleCopies;
import org.mafstream.job.testing.TinyBundle;

/**
 * A model that fails on every input, a known-good one included, is broken: no post may be
 * dead-lettered for it; the stage fails its task (Flink then restarts it from the checkpoint).
 * The broken model is the fixture bundle with its vocabulary shifted past the embedding table,
 * so every token id, [CLS] and [SEP] too, makes TensorFlow's gather refuse the call.
 */
class BrokenModelTest {
    @TempDir
    Path tmp;

    @Test
    void aModelFailingOnEveryInputFailsTheTaskAndDeadLettersNothing() throws Exception {
        Path bundle = BundleCopies.copy(TinyBundle.path(), tmp.resolve("bundle"));
        Path vocab = bundle.resolve("vocab.txt");
        List<String> shifted = new ArrayList<>(IntStream.range(0, 50_000).mapToObj(i -> "unused" + i).toList());
        shifted.addAll(Files.readAllLines(vocab));
        Files.write(vocab, shifted);

        InferenceSettings settings = InferenceSettings.cpu(bundle.toString()).withBatching(4, Duration.ofMillis(20));
        try (var subtask = StageHarness.open(settings, Duration.ofMinutes(5))) {
            subtask.getEnvironment().setExpectedExternalFailureCause(Exception.class); // what Flink's async operator raises
            // One post: the test environment takes one task failure only (a real task is cancelled at the first).
            subtask.processElement(new StreamRecord<>(StageHarness.post("post-1")));
            Optional<? extends Throwable> failure = Optional.empty();
            for (int i = 0; i < 600 && failure.isEmpty(); i++) {
                Thread.sleep(100);
                failure = subtask.getEnvironment().getActualExternalFailureCause();
            }
            assertThat(failure).as("the task failed").isPresent();
            assertThat(failure.get()).hasRootCauseInstanceOf(org.tensorflow.exceptions.TFInvalidArgumentException.class)
                    .cause().isInstanceOf(ModelFailedException.class);
            subtask.endInput();
            assertThat(subtask.getOutput()).as("nothing emitted, no dead letter").isEmpty();
        }
    }
}
