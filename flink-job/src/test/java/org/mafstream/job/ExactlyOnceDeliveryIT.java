package org.mafstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.cli.Annotations;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.local.LocalImageServer;
import org.mafstream.job.cli.PostProducer;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestJobs;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.PostAnnotations;

/** The whole job on a MiniCluster and a real broker: one committed output record per post. */
class ExactlyOnceDeliveryIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    private static final int POSTS = 300;

    @Test
    void everyPostIsWrittenOnceKeyedByPostIdInsideCommittedTransactions() throws Exception {
        TestTopics topics = TestTopics.unique("eos");
        topics.create(KAFKA, 3);
        List<String> ids = IntStream.range(0, POSTS).mapToObj(i -> "post-" + i).toList();
        LocalImageServer images = LocalImageServer.start(Duration.ZERO);
        try (PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            for (int i = 0; i < POSTS; i++) {
                producer.send(i % 3 == 0
                        ? TestPosts.withImageUrl(ids.get(i), "Kevin Durant at Oracle Arena", images.baseUrl() + "/" + (i % 7) + ".jpg")
                        : TestPosts.textOnly(ids.get(i), "Kevin Durant at Oracle Arena"));
            }
        }

        Configuration conf = topics.jobConfiguration(KAFKA);
        conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(images.allowListEntry()));
        conf.set(JobOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.EXACTLY_ONCE);
        TestJobs.runToTheEnd(conf, 2, "exactly-once-test");
        images.close();

        List<ConsumerRecord<byte[], byte[]>> out = CommittedTopicReader.read(
                KAFKA.bootstrapServers(), topics.output(), POSTS, Duration.ofSeconds(60), Duration.ofSeconds(2));
        List<String> keys = out.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
        assertThat(keys).hasSize(POSTS).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);

        // Transactional writes leave commit markers in the log: more offsets than records.
        assertThat(CommittedTopicReader.endOffsetSum(KAFKA.bootstrapServers(), topics.output())).isGreaterThan(POSTS);

        Annotations annotations = new Annotations(topics.registryUrl());
        for (ConsumerRecord<byte[], byte[]> record : out) {
            PostAnnotations value = annotations.decode(record.value());
            String key = new String(record.key(), StandardCharsets.UTF_8);
            assertThat(value.getPostId()).isEqualTo(key);
            assertThat(value.getEventTime().toEpochMilli()).isEqualTo(1_700_000_000_000L);
            int index = Integer.parseInt(key.substring("post-".length()));
            assertThat(value.getImageStatus()).isEqualTo(index % 3 == 0 ? ImageStatus.OK : ImageStatus.NO_IMAGE);
            assertThat(value.getRetainScore() == null).isEqualTo(index % 3 != 0);
            assertThat(value.getModelVersion()).isEqualTo("maf-tiny/fixture");
        }
        Set<String> deadLetters = CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.deadLetter(), 0,
                        Duration.ZERO, Duration.ofSeconds(1)).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
        assertThat(deadLetters).isEmpty();
    }
}
