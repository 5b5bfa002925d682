package org.mafstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.io.ConfluentWireFormat;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.io.PoisonReason;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.registry.SchemaRegistryClient;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.cli.PostProducer;
import org.mafstream.job.cli.ReadDeadLetters;
import org.mafstream.job.testing.SchemaEdits;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.schemas.PortableSchemas;

/**
 * Bad records go to the dead-letter topic with their bytes and the reason, posts written with
 * older and newer producer schemas are read, and the job keeps running throughout.
 */
class PoisonRecordIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    /** A producer that has not yet adopted authorId, lang and attributes. */
    private static final Schema OLDER_POST = new Schema.Parser().parse("""
            {"type":"record","name":"Post","namespace":"org.mafstream.schemas","fields":[
              {"name":"postId","type":"string"},
              {"name":"text","type":"string"},
              {"name":"imageUrl","type":["null","string"],"default":null},
              {"name":"imageBytes","type":["null","bytes"],"default":null},
              {"name":"eventTime","type":{"type":"long","logicalType":"timestamp-millis"}}]}""");

    /** A producer ahead of the job: one more field, with a default as BACKWARD compatibility requires. */
    private static final Schema NEWER_POST = SchemaEdits.withField(PortableSchemas.post(),
            "{\"name\":\"platform\",\"type\":\"string\",\"default\":\"unknown\"}");

    /** A writer whose records lack the required postId. */
    private static final Schema NO_POST_ID = new Schema.Parser().parse("""
            {"type":"record","name":"Post","namespace":"org.mafstream.schemas","fields":[
              {"name":"text","type":"string"},
              {"name":"eventTime","type":{"type":"long","logicalType":"timestamp-millis"}}]}""");

    /** Valid Avro of an unrelated schema, on the wrong topic. */
    private static final Schema CLICK = new Schema.Parser().parse("""
            {"type":"record","name":"Click","namespace":"com.example","fields":[
              {"name":"url","type":"string"},{"name":"count","type":"int"}]}""");

    @Test
    void poisonRecordsAreDeadLetteredWithBytesAndReasonWhileTheJobKeepsRunning() throws Exception {
        TestTopics topics = TestTopics.unique("poison");
        topics.create(KAFKA, 1);
        SchemaRegistryClient registry = SchemaRegistries.connect(RegistrySettings.of(topics.registryUrl()));

        Configuration conf = topics.jobConfiguration(KAFKA);
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
        conf.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        MafStreamJob.build(env, JobConfig.from(conf));
        JobClient job = env.executeAsync("poison-test");

        try (PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            byte[] good = producer.encode(TestPosts.textOnly("x", "a valid post"));
            int postSchemaId = ConfluentWireFormat.schemaId(good);
            Map<String, PoisonCase> poison = new LinkedHashMap<>();
            poison.put("bad-magic", new PoisonCase(PoisonReason.BAD_MAGIC_BYTE, withFirstByte(good, (byte) 1)));
            poison.put("two-bytes", new PoisonCase(PoisonReason.TRUNCATED_FRAME, new byte[] {0, 0}));
            poison.put("unknown-id", new PoisonCase(PoisonReason.UNKNOWN_SCHEMA_ID, ConfluentWireFormat.frame(
                    99_999, Arrays.copyOfRange(good, ConfluentWireFormat.HEADER_LENGTH, good.length))));
            poison.put("truncated", new PoisonCase(PoisonReason.CORRUPT_AVRO, Arrays.copyOf(good, good.length - 4)));
            poison.put("garbage", new PoisonCase(PoisonReason.CORRUPT_AVRO, ConfluentWireFormat.frame(
                    postSchemaId, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 1, 2, 3})));
            poison.put("trailing-bytes", new PoisonCase(PoisonReason.CORRUPT_AVRO, concat(good, new byte[] {7, 7})));
            poison.put("null-value", new PoisonCase(PoisonReason.NULL_VALUE, null));
            poison.put("no-post-id", new PoisonCase(PoisonReason.MISSING_REQUIRED_FIELD, encode(registry,
                    "legacy-value", NO_POST_ID, Map.of("text", "hi", "eventTime", 1L))));
            poison.put("other-schema", new PoisonCase(PoisonReason.INCOMPATIBLE_SCHEMA, encode(registry,
                    "clicks-value", CLICK, Map.of("url", "https://example.com", "count", 3))));
            poison.put("empty-id", new PoisonCase(PoisonReason.INVALID_POST, producer.encode(TestPosts.textOnly("", "no id"))));

            // Good posts before, between and after the poison, from three generations of producers.
            producer.send(TestPosts.textOnly("good-1", "before the poison"));
            for (Map.Entry<String, PoisonCase> entry : poison.entrySet()) {
                producer.sendRaw(key(entry.getKey()), entry.getValue().value);
            }
            producer.sendRaw(key("good-older"), encode(registry, topics.input() + "-value", OLDER_POST,
                    Map.of("postId", "good-older", "text", "older producer", "eventTime", 5L)));
            producer.sendRaw(key("good-newer"), encode(registry, topics.input() + "-value", NEWER_POST,
                    Map.of("postId", "good-newer", "text", "newer producer", "eventTime", 6L,
                            "attributes", Map.of("k", "v"), "platform", "mastodon")));

            List<ConsumerRecord<byte[], byte[]>> deadLetters = CommittedTopicReader.read(
                    KAFKA.bootstrapServers(), topics.deadLetter(), poison.size(), Duration.ofSeconds(60), Duration.ofSeconds(1));
            assertThat(deadLetters).hasSize(poison.size());
            for (ConsumerRecord<byte[], byte[]> letter : deadLetters) {
                String name = new String(letter.key(), StandardCharsets.UTF_8);
                PoisonCase expected = poison.get(name);
                assertThat(expected).as("unexpected dead letter %s", name).isNotNull();
                assertThat(letter.value()).as(name).isEqualTo(expected.value);
                assertThat(header(letter, DeadLetter.REASON)).as(name).isEqualTo(expected.reason.name());
                assertThat(header(letter, DeadLetter.ERROR_CLASS)).as(name).endsWith("PoisonRecordException");
                assertThat(header(letter, DeadLetter.ERROR_MESSAGE)).as(name).startsWith(expected.reason.name() + ": ");
                assertThat(header(letter, DeadLetter.SOURCE_TOPIC)).isEqualTo(topics.input());
                assertThat(header(letter, DeadLetter.SOURCE_PARTITION)).isEqualTo("0");
                // good-1 is at offset 0, the poison follows in insertion order
                int expectedOffset = 1 + List.copyOf(poison.keySet()).indexOf(name);
                assertThat(header(letter, DeadLetter.SOURCE_OFFSET)).as(name).isEqualTo(Integer.toString(expectedOffset));
            }

            // The dead-letters tool shows what the job wrote: each poison record once, with its reason.
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int status = ReadDeadLetters.run(new String[] {"--bootstrap-servers", KAFKA.bootstrapServers(),
                    "--topic", topics.deadLetter(), "--from-beginning", "--max", Integer.toString(poison.size()), "--json"},
                    InputStream.nullInputStream(), new PrintStream(printed, true, StandardCharsets.UTF_8),
                    new PrintStream(OutputStream.nullOutputStream()));
            assertThat(status).isZero();
            Map<String, String> reasons = new LinkedHashMap<>();
            for (String line : printed.toString(StandardCharsets.UTF_8).split("\n")) {
                JsonNode letter = new ObjectMapper().readTree(line);
                assertThat(letter.get("source").get("topic").asText()).isEqualTo(topics.input());
                reasons.put(letter.get("key").asText(), letter.get("reason").asText());
            }
            Map<String, String> expectedReasons = new LinkedHashMap<>();
            poison.forEach((name, poisonCase) -> expectedReasons.put(name, poisonCase.reason.name()));
            assertThat(reasons).isEqualTo(expectedReasons);

            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            producer.send(TestPosts.textOnly("good-after", "after the poison"));
            List<String> outputKeys = CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.output(), 4,
                            Duration.ofSeconds(60), Duration.ofSeconds(1)).stream()
                    .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
            assertThat(outputKeys).containsExactlyInAnyOrder("good-1", "good-older", "good-newer", "good-after");
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    private record PoisonCase(PoisonReason reason, byte[] value) {}

    private static byte[] encode(SchemaRegistryClient registry, String subject, Schema schema, Map<String, Object> fields)
            throws Exception {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.name(), fields.containsKey(field.name()) ? fields.get(field.name()) : field.defaultVal());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema, GenericData.get()).write(record, encoder);
        encoder.flush();
        return ConfluentWireFormat.frame(registry.register(subject, schema), out.toByteArray());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withFirstByte(byte[] bytes, byte first) {
        byte[] copy = bytes.clone();
        copy[0] = first;
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
