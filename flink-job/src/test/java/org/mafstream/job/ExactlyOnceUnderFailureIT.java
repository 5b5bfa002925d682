package org.mafstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestJobs;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.cli.PostProducer;

/**
 * A task failure after the first completed checkpoint, with posts on both sides of it (the
 * pattern of Flink's own KafkaSink tests): after recovery, read_committed consumers see exactly
 * one annotation per post.
 */
class ExactlyOnceUnderFailureIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    static final AtomicBoolean CHECKPOINT_COMPLETED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();

    /** Passes posts through; fails once, on the first post after a checkpoint completed. */
    static final class FailOnceAfterCheckpoint implements MapFunction<IncomingPost, IncomingPost>, CheckpointListener {
        @Override
        public IncomingPost map(IncomingPost post) {
            if (CHECKPOINT_COMPLETED.get() && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after the first completed checkpoint");
            }
            return post;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINT_COMPLETED.set(true);
        }
    }

    @Test
    void afterRecoveryEachPostIsAnnotatedExactlyOnce() throws Exception {
        TestTopics topics = TestTopics.unique("eos-failure");
        topics.create(KAFKA, 2);
        Configuration conf = topics.jobConfiguration(KAFKA);
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
        conf.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(1));
        conf.set(JobOptions.IMAGE_ENABLED, false);
        StreamExecutionEnvironment env = TestJobs.restartingEnvironment(3, Duration.ofMillis(200));
        MafStreamJob.build(env, JobConfig.from(conf),
                posts -> posts.map(new FailOnceAfterCheckpoint()).name("fail-once").uid("fail-once"));
        JobClient job = env.executeAsync("exactly-once-under-failure");

        List<String> ids = IntStream.range(0, 200).mapToObj(i -> "post-" + i).toList();
        try (PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            ids.subList(0, 100).forEach(id -> producer.send(TestPosts.textOnly(id, "Kevin Durant at Oracle Arena")));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!CHECKPOINT_COMPLETED.get() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(CHECKPOINT_COMPLETED).as("a checkpoint completed").isTrue();
            ids.subList(100, 200).forEach(id -> producer.send(TestPosts.textOnly(id, "Kevin Durant at Oracle Arena")));

            List<String> keys = CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.output(), ids.size(),
                            Duration.ofSeconds(120), Duration.ofSeconds(3)).stream()
                    .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();

            assertThat(FAILED).as("the failure was injected").isTrue();
            assertThat(keys).hasSize(ids.size()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }
}
