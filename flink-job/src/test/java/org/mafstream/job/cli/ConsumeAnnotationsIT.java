package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.io.ConfluentAvroEncoder;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.schemas.Entity;
import org.mafstream.schemas.EntityType;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.PortableSchemas;
import org.mafstream.schemas.PostAnnotations;
import org.mafstream.schemas.Timings;

/**
 * The consume tool against the in-JVM broker: annotations written as the job writes them, in
 * transactions, one of them aborted, plus a record that is not Confluent Avro.
 */
public class ConsumeAnnotationsIT {
    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant EVENT_TIME = Instant.parse("2017-05-01T12:30:00.250Z");

    /** One partition, in log order: a, b (committed), x (aborted), c and garbage (committed). */
    private static TestTopics written;

    /** Offset of the garbage record: a, b, commit marker, x, abort marker, c, garbage. */
    private static final long GARBAGE_OFFSET = 6;

    @BeforeAll
    static void writeAnnotations() throws Exception {
        written = TestTopics.unique("consume");
        written.create(KAFKA, 1);
        ConfluentAvroEncoder<PostAnnotations> encoder = encoder(written);
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer(written.output())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(written, "a", encoder.encode(withEntity("a"))));
            producer.send(record(written, "b", encoder.encode(bare("b"))));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record(written, "x", encoder.encode(bare("x"))));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record(written, "c", encoder.encode(bare("c"))));
            producer.send(record(written, "garbage", "{\"postId\":\"not avro\"}".getBytes(StandardCharsets.UTF_8)));
            producer.commitTransaction();
        }
    }

    @Test
    void committedAnnotationsArePrintedAsJsonAndTheUndecodableRecordIsReported() throws Exception {
        ToolRun run = ToolRun.consume(ToolRun.args(cluster(written),
                "--topic", written.output(), "--from-beginning", "--max", "100", "--timeout", "3s"));

        assertThat(run.exitStatus()).as(run.err()).isEqualTo(ConsumeAnnotations.SOME_UNDECODABLE);
        List<JsonNode> lines = parse(run);
        assertThat(lines).extracting(line -> line.get("postId").asText()).containsExactly("a", "b", "c");
        assertThat(run.err()).contains("consume: partition 0, offset " + GARBAGE_OFFSET + ": cannot decode: BAD_MAGIC_BYTE")
                .contains("read 4 records from '" + written.output() + "': 3 printed, 1 undecodable");

        JsonNode a = lines.get(0);
        assertThat(a.get("eventTime").asText()).isEqualTo("2017-05-01T12:30:00.250Z");
        assertThat(a.get("entities")).hasSize(1);
        JsonNode entity = a.get("entities").get(0);
        assertThat(entity.get("text").asText()).isEqualTo("Kevin Durant");
        assertThat(entity.get("type").asText()).isEqualTo("PER");
        assertThat(entity.get("charStart").asInt()).isZero();
        assertThat(entity.get("charEnd").asInt()).isEqualTo(12);
        assertThat(entity.get("wordStart").asInt()).isZero();
        assertThat(entity.get("wordEnd").asInt()).isEqualTo(2);
        assertThat(entity.get("confidence").isNumber()).isTrue();
        assertThat(entity.get("confidence").floatValue()).isEqualTo(0.875f);
        assertThat(a.get("retainScore").floatValue()).isEqualTo(0.25f);
        assertThat(a.get("imageStatus").asText()).isEqualTo("OK");
        assertThat(a.get("textTruncated").asBoolean()).isTrue();
        assertThat(a.get("modelVersion").asText()).isEqualTo("maf-test-1");
        assertThat(a.get("timings").get("queueMillis").asLong()).isEqualTo(3);
        assertThat(a.get("timings").get("imageMillis").asLong()).isEqualTo(40);
        assertThat(a.get("timings").get("inferenceMillis").asLong()).isEqualTo(12);
        assertThat(a.get("timings").get("totalMillis").asLong()).isEqualTo(57);

        // Absent values are JSON nulls, not Avro's union wrapping, and the fields are always there.
        JsonNode b = lines.get(1);
        assertThat(b.get("entities")).isEmpty();
        assertThat(b.get("retainScore").isNull()).isTrue();
        assertThat(b.get("modelVersion").isNull()).isTrue();
        assertThat(b.get("imageStatus").asText()).isEqualTo("NO_IMAGE");
        assertThat(b.get("textTruncated").asBoolean()).isFalse();
        assertThat(b.get("timings").get("imageMillis").isNull()).isTrue();
        assertThat(b.get("timings").get("queueMillis").asLong()).isEqualTo(1);
        assertThat(b.fieldNames()).toIterable().containsExactly("postId", "eventTime", "entities", "retainScore",
                "imageStatus", "textTruncated", "modelVersion", "timings");
    }

    @Test
    void maxStopsAfterThatManyRecords() throws Exception {
        ToolRun run = ToolRun.consume(ToolRun.args(cluster(written),
                "--topic", written.output(), "--from-beginning", "--max", "2"));

        assertThat(run.exitStatus()).as(run.err()).isZero();
        assertThat(parse(run)).extracting(line -> line.get("postId").asText()).containsExactly("a", "b");
    }

    @Test
    void aNamedGroupGoesOnWhereItsLastRunStopped() throws Exception {
        String[] first = ToolRun.args(cluster(written), "--topic", written.output(), "--group-id", written.output() + "-g",
                "--from-beginning", "--max", "1");
        assertThat(parse(ToolRun.consume(first))).extracting(line -> line.get("postId").asText()).containsExactly("a");

        ToolRun rest = ToolRun.consume(ToolRun.args(cluster(written), "--topic", written.output(),
                "--group-id", written.output() + "-g", "--timeout", "3s"));
        assertThat(parse(rest)).extracting(line -> line.get("postId").asText()).containsExactly("b", "c");
        assertThat(rest.err()).contains("offset " + GARBAGE_OFFSET + ": cannot decode");
    }

    @Test
    void withoutFromBeginningOnlyNewRecordsArePrinted() throws Exception {
        TestTopics topics = TestTopics.unique("consume-new");
        topics.create(KAFKA, 1);
        ConfluentAvroEncoder<PostAnnotations> encoder = encoder(topics);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties,
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record(topics, "old", encoder.encode(bare("old")))).get();
            CompletableFuture<ToolRun> consumer = CompletableFuture.supplyAsync(() -> ToolRun.consume(ToolRun.args(
                    cluster(topics), "--topic", topics.output(), "--max", "1", "--timeout", "30s")));
            // The consumer starts at the end it finds when it joins; keep writing until it has one.
            for (int i = 0; !consumer.isDone(); i++) {
                producer.send(record(topics, "new-" + i, encoder.encode(bare("new-" + i)))).get();
                Thread.sleep(200);
            }
            ToolRun run = consumer.get(1, TimeUnit.SECONDS);
            assertThat(run.exitStatus()).as(run.err()).isZero();
            assertThat(parse(run)).singleElement().satisfies(line -> assertThat(line.get("postId").asText()).startsWith("new-"));
        }
    }

    private static List<String> cluster(TestTopics topics) {
        return List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--schema-registry-url", topics.registryUrl());
    }

    private static List<JsonNode> parse(ToolRun run) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : run.outLines()) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    /** Registers the output schema as the job does and encodes under its id. */
    private static ConfluentAvroEncoder<PostAnnotations> encoder(TestTopics topics) {
        int id = SchemaRegistries.connect(RegistrySettings.of(topics.registryUrl()))
                .register(topics.output() + "-value", PortableSchemas.postAnnotations());
        return new ConfluentAvroEncoder<>(id, PostAnnotations.getClassSchema());
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(TestTopics topics, String key, byte[] value) {
        return new ProducerRecord<>(topics.output(), key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static PostAnnotations withEntity(String postId) {
        return PostAnnotations.newBuilder()
                .setPostId(postId)
                .setEventTime(EVENT_TIME)
                .setEntities(List.of(Entity.newBuilder()
                        .setText("Kevin Durant").setType(EntityType.PER)
                        .setCharStart(0).setCharEnd(12).setWordStart(0).setWordEnd(2)
                        .setConfidence(0.875f)
                        .build()))
                .setRetainScore(0.25f)
                .setImageStatus(ImageStatus.OK)
                .setTextTruncated(true)
                .setModelVersion("maf-test-1")
                .setTimings(Timings.newBuilder()
                        .setQueueMillis(3L).setImageMillis(40L).setInferenceMillis(12L).setTotalMillis(57L).build())
                .build();
    }

    private static PostAnnotations bare(String postId) {
        return PostAnnotations.newBuilder()
                .setPostId(postId)
                .setEventTime(EVENT_TIME)
                .setEntities(List.of())
                .setImageStatus(ImageStatus.NO_IMAGE)
                .setTextTruncated(false)
                .setTimings(Timings.newBuilder().setQueueMillis(1L).build())
                .build();
    }
}
