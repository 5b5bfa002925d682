package org.mafstream.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.testing.TinyBundle;
import org.mafstream.schemas.PostAnnotations;

/**
 * Two subtasks of the inference stage in one TaskManager share one model runtime. When one of
 * them is closed while its posts are still queued in the shared batchers (a region failover, a
 * rescale), the other must not notice: its posts are all annotated, none dead-lettered.
 */
class SharedRuntimeNeighboursTest {
    @Test
    void closingOneSubtaskWithPostsInFlightLeavesItsNeighbourWorking() throws Exception {
        // A long batch delay keeps the closed subtask's posts queued when it closes.
        InferenceSettings settings = InferenceSettings.cpu(TinyBundle.path().toString())
                .withBatching(8, Duration.ofMillis(400));
        try (var neighbour = StageHarness.open(settings, Duration.ofMinutes(5));
             var closing = StageHarness.open(settings, Duration.ofMinutes(5))) {
            for (int i = 0; i < 6; i++) {
                closing.processElement(new StreamRecord<>(StageHarness.post("closing-" + i)));
                neighbour.processElement(new StreamRecord<>(StageHarness.post("before-" + i)));
            }
            Thread.sleep(100); // the posts reach the batchers
            closing.getOneInputOperator().close(); // failover: close without finish

            Thread.sleep(1_000); // the queued batch runs and completes the closed subtask's futures
            for (int i = 0; i < 6; i++) {
                neighbour.processElement(new StreamRecord<>(StageHarness.post("after-" + i)));
            }
            neighbour.endInput();

            List<String> annotated = new ArrayList<>();
            List<String> deadLettered = new ArrayList<>();
            for (Object record : neighbour.getOutput()) {
                if (record instanceof StreamRecord<?> element) {
                    @SuppressWarnings("unchecked")
                    Either<PostAnnotations, DeadLetter> out = (Either<PostAnnotations, DeadLetter>) element.getValue();
                    if (out.isLeft()) {
                        annotated.add(out.left().getPostId());
                    } else {
                        deadLettered.add(new String(out.right().key) + ": " + out.right().errorMessage);
                    }
                }
            }
            assertThat(deadLettered).isEmpty();
            assertThat(annotated).hasSize(12);
        }
    }
}
