package org.mafstream.job.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
import org.mafstream.job.cli.PostProducer;

/**
 * The schema registry answers 503 for a while (the in-JVM HTTP registry), then recovers: posts
 * wait and are retried (the task fails over and restarts), none is dead-lettered for a transient
 * fault, and every post is annotated exactly once.
 */
class RegistryOutageIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    @Test
    void postsWaitOutAnOutageAndNoneIsDeadLettered() throws Exception {
        TestTopics topics = TestTopics.unique("registry-outage");
        topics.create(KAFKA, 2);
        List<String> ids = IntStream.range(0, 30).mapToObj(i -> "post-" + i).toList();
        try (ConfluentRegistryStub registry = new ConfluentRegistryStub().start()) {
            try (PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(),
                    RegistrySettings.of(registry.url()), new Properties())) {
                ids.forEach(id -> producer.send(TestPosts.textOnly(id, "Kevin Durant at Oracle Arena")));
            }
            registry.failAlways(503);

            Configuration conf = topics.jobConfiguration(KAFKA);
            conf.set(JobOptions.REGISTRY_URL, registry.url());
            conf.set(JobOptions.REGISTRY_MAX_RETRIES, 1);
            conf.set(JobOptions.IMAGE_ENABLED, false);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
            conf.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(1));
            StreamExecutionEnvironment env = TestJobs.restartingEnvironment(1000, Duration.ofMillis(200));
            MafStreamJob.build(env, JobConfig.from(conf));
            JobClient job = env.executeAsync("registry-outage");
            try {
                Thread.sleep(4000); // the job fails over a few times against the 503s
                assertThat(registry.requestCount()).as("the job kept asking the registry").isGreaterThan(2);
                registry.clearFaults();

                List<String> keys = CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.output(), ids.size(),
                                Duration.ofSeconds(90), Duration.ofSeconds(2)).stream()
                        .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
                assertThat(keys).hasSize(ids.size()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
                assertThat(CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.deadLetter(), 0, Duration.ZERO,
                        Duration.ofSeconds(1))).as("no dead letters for a transient fault").isEmpty();
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }
}
