package org.mafstream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
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
import org.mafstream.job.testing.TestJobs;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TinyBundle;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.local.EmbeddedKafka;
import org.mafstream.job.local.LocalImageServer;
import org.mafstream.job.cli.PostProducer;

/**
 * The Kafka broker goes down for a few seconds while the job runs (its own in-JVM cluster, so
 * the shared one is untouched). The job rides it out or fails over; read_committed output still
 * holds exactly one annotation per post.
 */
class BrokerRestartIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void exactlyOneAnnotationPerPostAcrossABrokerRestart() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); LocalImageServer images = LocalImageServer.start(Duration.ofMillis(50))) {
            kafka.createTopics(2, "posts", "post-annotations", "posts.dlq");
            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(JobOptions.REGISTRY_URL, "mock://broker-restart");
            conf.set(JobOptions.MODEL_BUNDLE, TinyBundle.path().toString());
            conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(images.allowListEntry())); // images on: each post fetches one
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
            conf.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(2));
            StreamExecutionEnvironment env = TestJobs.restartingEnvironment(100, Duration.ofMillis(500));
            MafStreamJob.build(env, JobConfig.from(conf));
            JobClient job = env.executeAsync("broker-restart");

            List<String> ids = IntStream.range(0, 200).mapToObj(i -> "post-" + i).toList();
            try {
                try (PostProducer producer = new PostProducer(kafka.bootstrapServers(), "posts", "mock://broker-restart")) {
                    ids.subList(0, 100).forEach(id -> producer.send(
                            TestPosts.withImageUrl(id, "before the restart", images.baseUrl() + "/" + id + ".jpg")));
                }
                Thread.sleep(1500);
                kafka.restartBroker(Duration.ofSeconds(3));
                try (PostProducer producer = new PostProducer(kafka.bootstrapServers(), "posts", "mock://broker-restart")) {
                    ids.subList(100, 200).forEach(id -> producer.send(
                            TestPosts.withImageUrl(id, "after the restart", images.baseUrl() + "/" + id + ".jpg")));
                }
                List<String> keys = CommittedTopicReader.read(kafka.bootstrapServers(), "post-annotations", ids.size(),
                                Duration.ofSeconds(180), Duration.ofSeconds(3)).stream()
                        .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
                assertThat(keys).hasSize(ids.size()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
                assertThat(CommittedTopicReader.read(kafka.bootstrapServers(), "posts.dlq", 0, Duration.ZERO,
                        Duration.ofSeconds(1))).as("nothing dead-lettered").isEmpty();
            } finally {
                job.cancel().get();
            }
        }
    }
}
