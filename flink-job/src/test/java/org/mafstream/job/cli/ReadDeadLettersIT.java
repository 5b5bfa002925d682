package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.io.DeadLetterSerializationSchema;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.job.io.PostDeserializationSchema;
import org.mafstream.job.inference.InputRejectedException;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;

/**
 * The dead-letters tool against the in-JVM broker, on dead letters made by the job's own code:
 * the source's decoder turns poison records into {@link DeadLetter}s, the inference stage's
 * builder makes an INFERENCE_FAILED one, and the sink's serializer writes them, in transactions
 * (one aborted), as the job's exactly-once sink does.
 */
public class ReadDeadLettersIT {
    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SOURCE_TIME = Instant.parse("2017-05-01T12:30:00Z").toEpochMilli();
    private static final byte[] NOT_UTF8 = {(byte) 0xff, (byte) 0xfe, 0x41};
    private static final byte[] JSON_VALUE = "{\"text\":\"JSON is not Avro\"}".getBytes(StandardCharsets.UTF_8);

    private static TestTopics topics;
    /** The committed dead letters, in the order written. */
    private static final List<DeadLetter> committed = new ArrayList<>();

    @BeforeAll
    static void writeDeadLettersAsTheJobDoes() throws Exception {
        topics = TestTopics.unique("dead-letters");
        topics.create(KAFKA, 1);
        PostDeserializationSchema source = new PostDeserializationSchema(RegistrySettings.of(topics.registryUrl()));
        source.open(null);
        DeadLetter json = decode(source, 17, "poison-json".getBytes(StandardCharsets.UTF_8), JSON_VALUE).right();
        DeadLetter truncated = decode(source, 18, NOT_UTF8, new byte[] {0, 0}).right();
        DeadLetter nullValue = decode(source, 19, null, null).right();
        byte[] good;
        try (PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            good = producer.encode(TestPosts.textOnly("p-20", "a post the model refused"));
        }
        IncomingPost post = decode(source, 20, "p-20".getBytes(StandardCharsets.UTF_8), good).left();
        DeadLetter refused = DeadLetter.of(post, "INFERENCE_FAILED",
                new InputRejectedException("the model failed on this text alone", new IllegalStateException("NaN")));
        DeadLetter aborted = decode(source, 21, "aborted".getBytes(StandardCharsets.UTF_8), new byte[] {7}).right();

        DeadLetterSerializationSchema sink = new DeadLetterSerializationSchema(topics.deadLetter());
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            for (DeadLetter letter : List.of(json, truncated, nullValue)) {
                producer.send(sink.serialize(letter, null, SOURCE_TIME));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(sink.serialize(aborted, null, SOURCE_TIME));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(sink.serialize(refused, null, SOURCE_TIME));
            producer.commitTransaction();
        }
        committed.addAll(List.of(json, truncated, nullValue, refused));
    }

    @Test
    void eachDeadLetterIsPrintedReadablyWithReasonErrorSourceKeyAndSize() {
        ToolRun run = read("--from-beginning", "--timeout", "3s");

        assertThat(run.exitStatus()).as(run.err()).isEqualTo(ReadDeadLetters.OK);
        String in = topics.input();
        assertThat(run.out()).contains(
                "  BAD_MAGIC_BYTE  from " + in + " 1@17 at 2017-05-01T12:30:00Z\n  key \"poison-json\", value "
                        + JSON_VALUE.length + " bytes\n"
                        + "  error org.mafstream.job.io.PoisonRecordException: BAD_MAGIC_BYTE: ",
                "  TRUNCATED_FRAME  from " + in + " 1@18 at 2017-05-01T12:30:00Z\n  key base64:"
                        + Base64.getEncoder().encodeToString(NOT_UTF8) + ", value 2 bytes\n",
                "  NULL_VALUE  from " + in + " 1@19 at 2017-05-01T12:30:00Z\n  key null, value null\n",
                "  INFERENCE_FAILED  from " + in + " 1@20 at 2017-05-01T12:30:00Z\n  key \"p-20\", value "
                        + committed.get(3).value.length + " bytes\n  error " + InputRejectedException.class.getName()
                        + ": " + committed.get(3).errorMessage + "\n");
        assertThat(run.out()).startsWith(topics.deadLetter() + " 0@0  BAD_MAGIC_BYTE").doesNotContain("aborted");
        assertThat(run.out().lines()).hasSize(3 * committed.size());
        assertThat(run.err()).contains("dead-letters: read 4 records from '" + topics.deadLetter() + "': 4 printed");
    }

    @Test
    void jsonLinesCarryEveryHeaderAndTheWholeErrorMessage() throws Exception {
        ToolRun run = read("--from-beginning", "--timeout", "3s", "--json");

        assertThat(run.exitStatus()).as(run.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.outLines()) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(committed.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            DeadLetter letter = committed.get(i);
            assertThat(line.fieldNames()).toIterable().containsExactly("topic", "partition", "offset", "reason",
                    "errorClass", "errorMessage", "source", "key", "keyBase64", "valueBytes");
            assertThat(line.get("topic").asText()).isEqualTo(topics.deadLetter());
            assertThat(line.get("reason").asText()).isEqualTo(letter.reason);
            assertThat(line.get("errorClass").asText()).isEqualTo(letter.errorClass);
            assertThat(line.get("errorMessage").asText()).isEqualTo(letter.errorMessage);
            assertThat(line.get("source").get("topic").asText()).isEqualTo(topics.input());
            assertThat(line.get("source").get("partition").asInt()).isEqualTo(1);
            assertThat(line.get("source").get("offset").asLong()).isEqualTo(letter.sourceOffset);
            assertThat(line.get("source").get("timestamp").asText()).isEqualTo("2017-05-01T12:30:00Z");
        }
        assertThat(lines).extracting(line -> line.get("reason").asText())
                .containsExactly("BAD_MAGIC_BYTE", "TRUNCATED_FRAME", "NULL_VALUE", "INFERENCE_FAILED");
        assertThat(lines.get(0).get("key").asText()).isEqualTo("poison-json");
        assertThat(lines.get(0).get("keyBase64").isNull()).isTrue();
        assertThat(lines.get(0).get("valueBytes").asInt()).isEqualTo(JSON_VALUE.length);
        assertThat(lines.get(1).get("key").isNull()).isTrue();
        assertThat(Base64.getDecoder().decode(lines.get(1).get("keyBase64").asText())).isEqualTo(NOT_UTF8);
        assertThat(lines.get(2).get("key").isNull()).isTrue();
        assertThat(lines.get(2).get("keyBase64").isNull()).isTrue();
        assertThat(lines.get(2).get("valueBytes").isNull()).isTrue();
    }

    @Test
    void maxStopsAfterThatManyAndNoRegistryIsNeeded() {
        ToolRun run = read("--from-beginning", "--max", "2", "--json");
        assertThat(run.exitStatus()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(2);
    }

    @Test
    void withoutFromBeginningOnlyNewDeadLettersArePrinted() {
        ToolRun run = read("--timeout", "2s");
        assertThat(run.exitStatus()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("read 0 records");
    }

    @Test
    void aTopicThatDoesNotExistIsReportedNotCreated() {
        ToolRun run = ToolRun.of(ReadDeadLetters::run, "", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--topic", topics.deadLetter() + "-typo", "--timeout", "2s");
        assertThat(run.exitStatus()).isEqualTo(ReadDeadLetters.CANNOT_RUN);
        assertThat(run.err()).contains("dead-letters: failed: topic " + topics.deadLetter() + "-typo does not exist");
    }

    private static ToolRun read(String... options) {
        return ToolRun.of(ReadDeadLetters::run, "", ToolRun.args(
                List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topics.deadLetter()), options));
    }

    /** What the job's source makes of a record at {@code offset} of partition 1 of the input topic. */
    private static Either<IncomingPost, DeadLetter> decode(PostDeserializationSchema source, long offset, byte[] key,
                                                           byte[] value) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(topics.input(), 1, offset, SOURCE_TIME,
                TimestampType.CREATE_TIME, -1, -1, key, value, new RecordHeaders(), Optional.empty());
        List<Either<IncomingPost, DeadLetter>> out = new ArrayList<>();
        source.deserialize(record, new Collector<>() {
            @Override
            public void collect(Either<IncomingPost, DeadLetter> item) {
                out.add(item);
            }

            @Override
            public void close() {}
        });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.deadLetter());
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
