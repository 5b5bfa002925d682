package org.mafstream.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.testing.TinyBundle;
import org.mafstream.schemas.PostAnnotations;

/**
 * A post that waits for the model far longer than the stage's timeout is slow, not bad: the
 * timeout bounds one model call (a hung model), never a post's wait, so every post is
 * annotated and none dead-lettered. Here the wait is the batcher's 3 s delay, the timeout 1 s.
 */
class WaitingIsNotFailingTest {
    @Test
    void postsWaitingLongerThanTheTimeoutAreAnnotatedNotDeadLettered() throws Exception {
        InferenceSettings settings = InferenceSettings.cpu(TinyBundle.path().toString())
                .withBatching(16, Duration.ofSeconds(3));
        // The stage's timeout (1 s) is far below the wait (3 s).
        try (var subtask = StageHarness.open(settings, Duration.ofSeconds(1))) {
            for (int i = 0; i < 3; i++) {
                subtask.processElement(new StreamRecord<>(StageHarness.post("waiting-" + i)));
            }
            subtask.endInput();

            List<Either<PostAnnotations, DeadLetter>> out = subtask.extractOutputValues();
            assertThat(out).hasSize(3).allSatisfy(either -> assertThat(either.isLeft()).as("annotated: %s", either).isTrue());
        }
    }
}
