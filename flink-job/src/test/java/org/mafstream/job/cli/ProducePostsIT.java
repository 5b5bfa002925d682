package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.job.io.ConfluentAvroDecoder;
import org.mafstream.job.io.ConfluentWireFormat;
import org.mafstream.job.io.PoisonRecordException;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.registry.SchemaRegistryClient;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.schemas.PortableSchemas;
import org.mafstream.schemas.Post;
import org.mafstream.model.testing.Fixtures;

/** The produce tool against the in-JVM broker and a mock:// registry, read back as the job reads posts. */
public class ProducePostsIT {
    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    @TempDir
    Path dir;

    private static final byte[] IMAGE = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    @Test
    void jsonLinesPostsArriveKeyedByPostIdAndBadLinesAreSkippedAndCounted() throws Exception {
        TestTopics topics = topics("produce-jsonl");
        Path file = Files.writeString(dir.resolve("posts.jsonl"), String.join("\n",
                "{\"postId\":\"p1\",\"text\":\"Kevin Durant at Oracle Arena\",\"imageUrl\":\"https://img.example.com/p1.jpg\","
                        + "\"eventTime\":\"2017-05-01T12:30:00Z\",\"authorId\":\"u1\",\"lang\":\"en\","
                        + "\"attributes\":{\"source\":\"test\",\"campaign\":\"nba\"}}",
                "{\"text\":\"no id, epoch millis\",\"eventTime\":1700000000000}",
                "{\"postId\":\"p3\",\"text\": oops}",
                "",
                "{\"postId\":\"p5\",\"text\":\"inline image\",\"imageBase64\":\"" + Base64.getEncoder().encodeToString(IMAGE)
                        + "\",\"eventTime\":\"2017-05-01T14:30:00+02:00\"}",
                "{\"postId\":\"p6\",\"text\":\"time defaults to now\"}",
                "{\"postId\":\"p7\"}") + "\n");
        Instant before = Instant.now().minusMillis(1);

        ToolRun run = ToolRun.produce(ToolRun.args(cluster(topics), "--topic", topics.input(), file.toString()));

        assertThat(run.exitStatus()).as(run.err()).isEqualTo(ProducePosts.SOME_FAILED);
        assertThat(run.out()).startsWith("Sent 4 posts to '" + topics.input() + "', skipped 2 lines, in ");
        List<String> errors = run.err().lines().toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith(file + ":3: not JSON: Unrecognized token 'oops'").endsWith("(line skipped)");
        assertThat(errors.get(1)).isEqualTo(file + ":7: \"text\" is missing (line skipped)");

        Map<String, Post> posts = readBack(topics, 4);
        assertThat(posts).containsOnlyKeys("p1", "posts.jsonl-2", "p5", "p6");
        Post p1 = posts.get("p1");
        assertThat(p1.getText()).isEqualTo("Kevin Durant at Oracle Arena");
        assertThat(p1.getImageUrl()).isEqualTo("https://img.example.com/p1.jpg");
        assertThat(p1.getImageBytes()).isNull();
        assertThat(p1.getEventTime()).isEqualTo(Instant.parse("2017-05-01T12:30:00Z"));
        assertThat(p1.getAuthorId()).isEqualTo("u1");
        assertThat(p1.getLang()).isEqualTo("en");
        assertThat(p1.getAttributes()).isEqualTo(Map.of("source", "test", "campaign", "nba"));
        assertThat(posts.get("posts.jsonl-2").getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        Post p5 = posts.get("p5");
        assertThat(p5.getImageBytes()).isEqualTo(ByteBuffer.wrap(IMAGE));
        assertThat(p5.getImageUrl()).isNull();
        assertThat(p5.getEventTime()).isEqualTo(Instant.parse("2017-05-01T12:30:00Z"));
        assertThat(posts.get("p6").getEventTime()).isBetween(before, Instant.now());
        assertThat(posts.get("p6").getAttributes()).isEmpty();
    }

    @Test
    void conllPostsJoinWordsWithSpacesAndRepeatedImageIdsGetASuffix() throws Exception {
        TestTopics topics = topics("produce-conll");
        Path file = Files.writeString(dir.resolve("test.txt"), """
                IMGID:16_05_01_360
                Citifield\tB-LOC
                Fan\tO
                View\tO
                :\tO

                IMGID:O_2144
                Wayne\tB-PER
                Rooney\tI-PER
                on\tO
                @\tO
                ultimatefanlive\tO

                IMGID:16_05_01_360
                #\tO
                NewYorkMets\tB-ORG
                """);
        Instant before = Instant.now().minusMillis(1);

        ToolRun run = ToolRun.produce(ToolRun.args(cluster(topics), "--topic", topics.input(),
                "--image-base-url", "https://img.example.com/twitter2017/", file.toString()));

        assertThat(run.exitStatus()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Sent 3 posts to '" + topics.input() + "', skipped 0 lines, in ");
        Map<String, Post> posts = readBack(topics, 3);
        assertThat(posts).containsOnlyKeys("16_05_01_360", "O_2144", "16_05_01_360-2");
        assertThat(posts.get("16_05_01_360").getText()).isEqualTo("Citifield Fan View :");
        assertThat(posts.get("O_2144").getText()).isEqualTo("Wayne Rooney on @ ultimatefanlive");
        assertThat(posts.get("16_05_01_360-2").getText()).isEqualTo("# NewYorkMets");
        assertThat(posts.get("16_05_01_360-2").getImageUrl())
                .isEqualTo("https://img.example.com/twitter2017/16_05_01_360.jpg");
        assertThat(posts.get("O_2144").getImageUrl()).isEqualTo("https://img.example.com/twitter2017/O_2144.jpg");
        assertThat(posts.get("O_2144").getAttributes())
                .containsEntry("conll.imgid", "O_2144").containsEntry("conll.tags", "B-PER I-PER O O O");
        assertThat(posts.values()).allSatisfy(post -> assertThat(post.getEventTime()).isBetween(before, Instant.now()));
    }

    @Test
    void standardInputNeedsAFormatAndTheLimitStopsEarly() throws Exception {
        TestTopics topics = topics("produce-stdin");
        String stdin = "{\"postId\":\"s1\",\"text\":\"one\"}\n{\"postId\":\"s2\",\"text\":\"two\"}\n"
                + "{\"postId\":\"s3\",\"text\":\"three\"}\n";

        ToolRun run = ToolRun.of(ProducePosts::run, stdin,
                ToolRun.args(cluster(topics), "--topic", topics.input(), "--format", "jsonl", "--limit", "2", "-"));

        assertThat(run.exitStatus()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Sent 2 posts");
        assertThat(readBack(topics, 2)).containsOnlyKeys("s1", "s2");
    }

    /** The Twitter-2017 test split (testdata/): every post, nothing skipped. */
    @Test
    void theTwitter2017TestSplitIsReadWhole() throws Exception {
        Path data = Fixtures.data("twitter2017/test.txt");
        long imageIds = Files.readAllLines(data, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("IMGID:")).count();
        TestTopics topics = topics("produce-twitter2017");

        ToolRun run = ToolRun.produce(ToolRun.args(cluster(topics), "--topic", topics.input(), data.toString()));

        assertThat(run.exitStatus()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Sent " + imageIds + " posts").contains("skipped 0 lines");
        Map<String, Post> posts = readBack(topics, (int) imageIds);
        assertThat(posts).hasSize((int) imageIds);
        assertThat(posts.get("O_2144").getText()).startsWith("Just used my Pass Master on Wayne Rooney on @");
    }

    private static TestTopics topics(String prefix) throws Exception {
        TestTopics topics = TestTopics.unique(prefix);
        topics.create(KAFKA, 2);
        return topics;
    }

    private static List<String> cluster(TestTopics topics) {
        return List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--schema-registry-url", topics.registryUrl());
    }

    /** The topic's records decoded as the job decodes them, by key, after checking key = postId and the subject. */
    private static Map<String, Post> readBack(TestTopics topics, int expected) throws PoisonRecordException {
        List<ConsumerRecord<byte[], byte[]>> records = CommittedTopicReader.read(
                KAFKA.bootstrapServers(), topics.input(), expected, Duration.ofSeconds(30), Duration.ofMillis(500));
        SchemaRegistryClient registry = SchemaRegistries.connect(RegistrySettings.of(topics.registryUrl()));
        int subjectId = registry.getId(topics.input() + "-value", PortableSchemas.post());
        ConfluentAvroDecoder<Post> decoder = new ConfluentAvroDecoder<>(registry, Post.getClassSchema(), 10);
        Map<String, Post> posts = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(ConfluentWireFormat.schemaId(record.value())).isEqualTo(subjectId);
            Post post = decoder.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(post.getPostId());
            assertThat(posts.put(post.getPostId(), post)).as("duplicate " + post.getPostId()).isNull();
        }
        assertThat(records).hasSize(expected);
        return posts;
    }
}
