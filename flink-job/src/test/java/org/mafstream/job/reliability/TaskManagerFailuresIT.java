package org.mafstream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.JobConfig;
import org.mafstream.job.JobOptions;
import org.mafstream.job.MafStreamJob;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestJobs;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.local.LocalImageServer;
import org.mafstream.job.cli.PostProducer;

/**
 * The TaskManager dies three times at random moments while posts keep arriving (not only right
 * after a checkpoint); each time a fresh one takes over and the job recovers from its last
 * checkpoint. read_committed consumers then see exactly one annotation per post.
 */
class TaskManagerFailuresIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    private static final int POSTS = 300;

    @Test
    void exactlyOneAnnotationPerPostAcrossTaskManagerCrashes(@InjectMiniCluster MiniCluster cluster) throws Exception {
        TestTopics topics = TestTopics.unique("tm-failures");
        topics.create(KAFKA, 2);
        LocalImageServer images = LocalImageServer.start(Duration.ofMillis(50));
        Configuration conf = topics.jobConfiguration(KAFKA);
        conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(images.allowListEntry())); // images on: each post fetches one
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        conf.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(2));
        StreamExecutionEnvironment env = TestJobs.restartingEnvironment(100, Duration.ofMillis(300));
        MafStreamJob.build(env, JobConfig.from(conf));
        JobClient job = env.executeAsync("task-manager-failures");

        List<String> ids = IntStream.range(0, POSTS).mapToObj(i -> "post-" + i).toList();
        Random random = new Random(11);
        AtomicInteger crashes = new AtomicInteger();
        try (PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            for (int i = 0; i < POSTS; i++) {
                producer.send(TestPosts.withImageUrl(ids.get(i), "Kevin Durant at Oracle Arena " + i,
                        images.baseUrl() + "/" + (i % 40) + ".jpg"));
                if (i % 100 == 50) {
                    Thread.sleep(500 + random.nextInt(2000));
                    cluster.terminateTaskManager(0).get();
                    cluster.startTaskManager();
                    crashes.incrementAndGet();
                }
            }
            List<String> keys = CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.output(), POSTS,
                            Duration.ofSeconds(180), Duration.ofSeconds(3)).stream()
                    .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();

            assertThat(crashes).hasValue(3);
            assertThat(keys).hasSize(POSTS).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
            assertThat(CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.deadLetter(), 0, Duration.ZERO,
                    Duration.ofSeconds(1))).isEmpty();
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
            images.close();
        }
    }
}
