package org.mafstream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.job.JobConfig;
import org.mafstream.job.JobOptions;
import org.mafstream.job.MafStreamJob;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.local.LocalImageServer;
import org.mafstream.job.cli.PostProducer;

/**
 * An upgrade: stop with a savepoint while posts wait in the async inference stage for slow images,
 * then start the job again from that savepoint. Every post is annotated exactly once, the ones
 * that were in flight included.
 */
class SavepointUpgradeIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    @TempDir
    Path savepoints;

    @Test
    void postsInFlightAtTheSavepointAreAnnotatedOnceAfterTheRestart() throws Exception {
        TestTopics topics = TestTopics.unique("savepoint");
        topics.create(KAFKA, 2);
        List<String> ids = IntStream.range(0, 120).mapToObj(i -> "post-" + i).toList();
        try (LocalImageServer slowImages = LocalImageServer.start(Duration.ofMillis(400));
             PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            Configuration conf = topics.jobConfiguration(KAFKA);
            conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(slowImages.allowListEntry()));
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
            conf.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(2));

            JobClient first = start(conf, null);
            for (int i = 0; i < 80; i++) {
                producer.send(TestPosts.withImageUrl(ids.get(i), "post " + i, slowImages.baseUrl() + "/" + i + ".jpg"));
            }
            Thread.sleep(1500); // the slow images keep posts waiting in the inference stage
            String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();

            for (int i = 80; i < ids.size(); i++) {
                producer.send(TestPosts.withImageUrl(ids.get(i), "post " + i, slowImages.baseUrl() + "/" + i + ".jpg"));
            }
            JobClient second = start(conf, savepoint);
            try {
                List<String> keys = CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.output(), ids.size(),
                                Duration.ofSeconds(120), Duration.ofSeconds(3)).stream()
                        .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
                assertThat(keys).hasSize(ids.size()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
                assertThat(CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.deadLetter(), 0, Duration.ZERO,
                        Duration.ofSeconds(1))).as("nothing dead-lettered").isEmpty();
            } finally {
                second.cancel().get();
            }
        }
    }

    private static JobClient start(Configuration jobConf, String savepoint) throws Exception {
        Configuration flink = new Configuration();
        if (savepoint != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        MafStreamJob.build(env, JobConfig.from(jobConf));
        return env.executeAsync(savepoint == null ? "before-upgrade" : "after-upgrade");
    }
}
