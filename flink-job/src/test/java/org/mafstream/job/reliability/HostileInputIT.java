package org.mafstream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.JobOptions;
import org.mafstream.job.io.ConfluentWireFormat;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.testing.SampleImages;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestJobs;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.job.cli.Annotations;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.local.LocalImageServer;
import org.mafstream.job.cli.PostProducer;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.Post;
import org.mafstream.schemas.PostAnnotations;

/**
 * The hostile-input catalogue: every bad input the job must survive, each with the outcome it
 * must have, through the whole job (image servers that are down or too slow included). Each ends as exactly one annotation (with the image status
 * given) or exactly one dead letter (with the reason given): never a crash, a hang or a drop.
 */
class HostileInputIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    /** What must become of an input: an annotation with this image status, or a dead letter with this reason. */
    record Outcome(ImageStatus annotatedWith, String deadLetterReason) {
        static Outcome annotated(ImageStatus status) {
            return new Outcome(status, null);
        }

        static Outcome deadLettered(String reason) {
            return new Outcome(null, reason);
        }
    }

    @Test
    void everyHostileInputEndsAsOneAnnotationOrOneDeadLetter() throws Exception {
        TestTopics topics = TestTopics.unique("hostile");
        topics.create(KAFKA, 2);
        Map<String, Outcome> expected = new LinkedHashMap<>();
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (LocalImageServer images = LocalImageServer.start(Duration.ZERO);
             LocalImageServer slowImages = LocalImageServer.start(Duration.ofSeconds(4));
             PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            byte[] valid = producer.encode(TestPosts.textOnly("x", "valid"));
            int postSchemaId = ConfluentWireFormat.schemaId(valid);

            // Records that are not readable posts.
            raw(producer, expected, "wrong-magic", withFirstByte(valid, (byte) 7), "BAD_MAGIC_BYTE");
            raw(producer, expected, "unknown-schema-id", ConfluentWireFormat.frame(77_777, body(valid)), "UNKNOWN_SCHEMA_ID");
            raw(producer, expected, "truncated-avro", Arrays.copyOf(valid, valid.length - 2), "CORRUPT_AVRO");
            raw(producer, expected, "huge-length-prefix", ConfluentWireFormat.frame(postSchemaId,
                    new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}), "CORRUPT_AVRO");
            raw(producer, expected, "another-schema", otherSchemaRecord(topics.registryUrl()), "INCOMPATIBLE_SCHEMA");
            raw(producer, expected, "null-value", null, "NULL_VALUE");
            raw(producer, expected, "empty-value", new byte[0], "TRUNCATED_FRAME");

            // Readable posts with hostile content: each is annotated.
            post(producer, expected, "empty-text", "", null, ImageStatus.NO_IMAGE);
            post(producer, expected, "megabyte-of-text", "word ".repeat(200_000), null, ImageStatus.NO_IMAGE);
            post(producer, expected, "lone-surrogates", "broken \uD800 pair \uDC00 here", null, ImageStatus.NO_IMAGE);
            post(producer, expected, "control-characters", "bell\u0007 null\u0000 escape\u001b[31m tab\tnewline\n", null,
                    ImageStatus.NO_IMAGE);
            post(producer, expected, "rtl-and-zero-width", "\u202Egnp.exe\u202C \u200B\u200D\u2066مرحبا\u2069 שלום", null,
                    ImageStatus.NO_IMAGE);
            post(producer, expected, "ten-thousand-emoji", "😀".repeat(10_000), null, ImageStatus.NO_IMAGE);
            post(producer, expected, "url-of-100kb", "long url", "https://example.com/" + "a".repeat(100_000),
                    ImageStatus.BLOCKED);
            post(producer, expected, "url-not-http", "file url", "file:///etc/passwd", ImageStatus.BLOCKED);
            post(producer, expected, "url-with-credentials", "creds", "http://user:pw@example.com/a.jpg", ImageStatus.BLOCKED);
            post(producer, expected, "url-metadata-service", "metadata", "http://169.254.169.254/latest/meta-data/",
                    ImageStatus.BLOCKED);
            post(producer, expected, "url-private-network", "private", "http://10.0.0.1/a.jpg", ImageStatus.BLOCKED);
            post(producer, expected, "url-loopback-other-port", "loopback", "http://127.0.0.1:1/a.jpg", ImageStatus.BLOCKED);
            post(producer, expected, "url-malformed", "malformed", "http://exa mple.com/%%%", ImageStatus.FETCH_FAILED);
            post(producer, expected, "image-404", "missing", images.baseUrl() + "/missing.jpg", ImageStatus.FETCH_FAILED);
            post(producer, expected, "image-is-html", "html", images.baseUrl() + "/not-an-image.jpg", ImageStatus.UNSUPPORTED_TYPE);
            Post bomb = TestPosts.textOnly("inline-bomb", "bomb");
            bomb.setImageBytes(java.nio.ByteBuffer.wrap(SampleImages.pngDeclaring(50_000, 50_000)));
            producer.send(bomb);
            expected.put("inline-bomb", Outcome.annotated(ImageStatus.TOO_LARGE));
            Post garbage = TestPosts.textOnly("inline-garbage", "garbage");
            garbage.setImageBytes(java.nio.ByteBuffer.wrap("GIF89a garbage".getBytes(StandardCharsets.US_ASCII)));
            producer.send(garbage);
            expected.put("inline-garbage", Outcome.annotated(ImageStatus.DECODE_FAILED));
            post(producer, expected, "image-ok", "fine", images.baseUrl() + "/ok.jpg", ImageStatus.OK);
            // Image servers that fail: the post goes on without its image.
            post(producer, expected, "image-server-down", "down", "http://127.0.0.1:" + closedPort + "/a.jpg",
                    ImageStatus.FETCH_FAILED);
            post(producer, expected, "image-server-slow", "slow", slowImages.baseUrl() + "/slow.jpg", ImageStatus.TIMEOUT);

            Configuration conf = topics.jobConfiguration(KAFKA);
            conf.set(JobOptions.IMAGE_ALLOW_LIST,
                    List.of(images.allowListEntry(), slowImages.allowListEntry(), "127.0.0.1:" + closedPort));
            conf.set(JobOptions.IMAGE_FETCH_TIMEOUT, Duration.ofSeconds(1));
            TestJobs.runToTheEnd(conf, 2, "hostile-input");
        }

        long annotationsDue = expected.values().stream().filter(o -> o.annotatedWith() != null).count();
        Map<String, List<String>> outcomes = new HashMap<>();
        Annotations decoder = new Annotations(topics.registryUrl());
        for (ConsumerRecord<byte[], byte[]> r : CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.output(),
                (int) annotationsDue, Duration.ofSeconds(60), Duration.ofSeconds(1))) {
            PostAnnotations a = decoder.decode(r.value());
            outcomes.computeIfAbsent(a.getPostId(), k -> new ArrayList<>()).add("annotated " + a.getImageStatus());
        }
        for (ConsumerRecord<byte[], byte[]> r : CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.deadLetter(),
                (int) (expected.size() - annotationsDue), Duration.ofSeconds(30), Duration.ofSeconds(1))) {
            Header reason = r.headers().lastHeader(DeadLetter.REASON);
            outcomes.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add("dead letter " + new String(reason.value(), StandardCharsets.UTF_8));
        }

        Map<String, List<String>> wanted = new LinkedHashMap<>();
        expected.forEach((name, outcome) -> wanted.put(name, List.of(outcome.annotatedWith() != null
                ? "annotated " + outcome.annotatedWith() : "dead letter " + outcome.deadLetterReason())));
        assertThat(outcomes).isEqualTo(wanted);
    }

    private static void raw(PostProducer producer, Map<String, Outcome> expected, String name, byte[] value, String reason) {
        producer.sendRaw(name.getBytes(StandardCharsets.UTF_8), value);
        expected.put(name, Outcome.deadLettered(reason));
    }

    private static void post(PostProducer producer, Map<String, Outcome> expected, String name, String text, String imageUrl,
                             ImageStatus status) {
        producer.send(imageUrl == null ? TestPosts.textOnly(name, text) : TestPosts.withImageUrl(name, text, imageUrl));
        expected.put(name, Outcome.annotated(status));
    }

    private static byte[] withFirstByte(byte[] bytes, byte first) {
        byte[] copy = bytes.clone();
        copy[0] = first;
        return copy;
    }

    private static byte[] body(byte[] framed) {
        return Arrays.copyOfRange(framed, ConfluentWireFormat.HEADER_LENGTH, framed.length);
    }

    private static byte[] otherSchemaRecord(String registryUrl) throws Exception {
        Schema click = new Schema.Parser().parse("""
                {"type":"record","name":"Click","namespace":"com.example","fields":[{"name":"url","type":"string"}]}""");
        GenericRecord record = new GenericData.Record(click);
        record.put("url", "https://example.com");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(click).write(record, encoder);
        encoder.flush();
        int id = SchemaRegistries.connect(RegistrySettings.of(registryUrl)).register("clicks-value", click);
        return ConfluentWireFormat.frame(id, out.toByteArray());
    }
}
