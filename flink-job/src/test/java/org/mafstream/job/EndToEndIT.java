package org.mafstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestJobs;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.job.cli.Annotations;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.local.LocalImageServer;
import org.mafstream.job.cli.PostProducer;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.schemas.Entity;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.PostAnnotations;

/**
 * Posts in, annotations out, through the whole job on a MiniCluster with the in-JVM Kafka, a
 * local image server holding the fixture's PNGs, and the maf-tiny bundle (the checkpoint the
 * original PyTorch code wrote). The expected spans are written by hand from the original's
 * Viterbi tags in examples.json; the model is random, so they are meaningless but exact.
 */
class EndToEndIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    @Test
    void everyPostBecomesOneAnnotationWithTheOriginalsEntities() throws Exception {
        TestTopics topics = TestTopics.unique("e2e");
        topics.create(KAFKA, 2);
        try (LocalImageServer images = LocalImageServer.start(Duration.ZERO, Fixtures.mafTiny());
             PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            producer.send(TestPosts.withImageUrl("short", "Müller visits Zürich 😀", images.baseUrl() + "/image_3.png"));
            producer.send(TestPosts.withImageUrl("soft-hyphen", "It ' s such a shame so many Americans are \u00ad rallying "
                    + "behind ignorance - Lauren Jauregui on Donald Trump", images.baseUrl() + "/image_1.png"));
            producer.send(TestPosts.withImageUrl("repost", "Müller visits Zürich 😀", images.baseUrl() + "/image_3.png"));
            producer.send(TestPosts.withImageUrl("broken-link", "Müller visits Zürich", images.baseUrl() + "/missing.jpg"));
            producer.send(TestPosts.withImageUrl("metadata", "Müller visits Zürich", "http://169.254.169.254/latest/"));
            producer.send(TestPosts.textOnly("text-only", "Müller visits Zürich"));
            producer.sendRaw("poison".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3, 4, 5, 6});

            Configuration conf = topics.jobConfiguration(KAFKA);
            conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(images.allowListEntry()));
            TestJobs.runToTheEnd(conf, 2, "end-to-end");
        }

        Annotations decoder = new Annotations(topics.registryUrl());
        Map<String, PostAnnotations> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.output(), 6,
                Duration.ofSeconds(60), Duration.ofSeconds(1))) {
            PostAnnotations a = decoder.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(a.getPostId());
            assertThat(out.put(a.getPostId(), a)).as("one annotation per post").isNull();
        }
        assertThat(out.keySet()).containsExactlyInAnyOrder("short", "soft-hyphen", "repost", "broken-link", "metadata", "text-only");

        assertThat(out.get("short").getEntities()).extracting(Entity::getType, Entity::getText, Entity::getCharStart,
                        Entity::getCharEnd, Entity::getWordStart, Entity::getWordEnd)
                .containsExactly(tuple(org.mafstream.schemas.EntityType.ORG, "Müller", 0, 6, 0, 1),
                        tuple(org.mafstream.schemas.EntityType.MISC, "Zürich", 14, 20, 2, 3));
        assertThat(out.get("short").getRetainScore()).isCloseTo(0.43004331f, org.assertj.core.data.Offset.offset(1e-4f));
        // The repost reads the cached regions, but may share a batch of another size, whose matrix
        // products TensorFlow blocks differently: the same entities, confidences equal to float32 rounding.
        assertThat(out.get("repost").getEntities()).usingRecursiveFieldByFieldElementComparator(
                        org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration.builder()
                                .withComparatorForType((x, y) -> Math.abs(x - y) <= 1e-6f ? 0 : Float.compare(x, y), Float.class)
                                .build())
                .isEqualTo(out.get("short").getEntities());
        assertThat(out.get("soft-hyphen").getEntities()).extracting(Entity::getText).containsExactly(
                "'", "s", "such", "a", "shame", "so", "Americans", "are", "ignorance", "-", "Lauren", "Donald", "Trump");

        assertThat(out.get("short").getImageStatus()).isEqualTo(ImageStatus.OK);
        assertThat(out.get("broken-link").getImageStatus()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(out.get("metadata").getImageStatus()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(out.get("text-only").getImageStatus()).isEqualTo(ImageStatus.NO_IMAGE);
        for (String noImage : List.of("broken-link", "metadata", "text-only")) {
            assertThat(out.get(noImage).getRetainScore()).as(noImage).isNull();
        }
        assertThat(out.values()).allSatisfy(a -> {
            assertThat(a.getModelVersion()).isEqualTo("maf-tiny/fixture");
            assertThat(a.getTextTruncated()).isFalse();
            assertThat(a.getTimings().getInferenceMillis()).isNotNull();
        });

        List<ConsumerRecord<byte[], byte[]>> dead = CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.deadLetter(), 1,
                Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(dead).singleElement().satisfies(r -> assertThat(r.value()).containsExactly(1, 2, 3, 4, 5, 6));
    }
}
