package org.mafstream.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.mafstream.job.registry.HttpSchemaRegistryClient;
import org.mafstream.job.registry.InMemorySchemaRegistry;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.RegistryUnavailableException;
import org.mafstream.job.testing.SchemaEdits;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.schemas.PortableSchemas;
import org.mafstream.schemas.Post;

class ConfluentAvroDecoderTest {
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope("decoder-" + UUID.randomUUID());
    private final ConfluentAvroDecoder<Post> decoder = new ConfluentAvroDecoder<>(registry, Post.getClassSchema(), 10);

    @Test
    void roundTripsWhatTheEncoderWrites() throws Exception {
        int id = registry.register("posts-value", PortableSchemas.post());
        Post post = TestPosts.withImageUrl("p1", "Emoji 😀 and CJK 東京", "https://example.com/a.jpg");
        post.setAttributes(Map.of("source", "test"));

        Post decoded = decoder.decode(new ConfluentAvroEncoder<Post>(id, Post.getClassSchema()).encode(post));

        assertThat(decoded).isEqualTo(post);
    }

    @Test
    void readsAnOlderWriterSchemaFillingDefaults() throws Exception {
        Schema older = new Schema.Parser().parse("""
                {"type":"record","name":"Post","namespace":"org.mafstream.schemas","fields":[
                  {"name":"postId","type":"string"},{"name":"text","type":"string"},
                  {"name":"eventTime","type":{"type":"long","logicalType":"timestamp-millis"}}]}""");
        byte[] bytes = write(older, Map.of("postId", "old", "text", "hello", "eventTime", 42L));

        Post post = decoder.decode(bytes);

        assertThat(post.getPostId()).isEqualTo("old");
        assertThat(post.getEventTime()).isEqualTo(Instant.ofEpochMilli(42));
        assertThat(post.getImageUrl()).isNull();
        assertThat(post.getAttributes()).isEmpty();
    }

    @Test
    void readsANewerWriterSchemaIgnoringFieldsItDoesNotKnow() throws Exception {
        Schema newer = SchemaEdits.withField(PortableSchemas.post(), "{\"name\":\"likes\",\"type\":\"long\",\"default\":0}");
        byte[] bytes = write(newer, Map.of("postId", "new", "text", "hi", "eventTime", 7L,
                "attributes", Map.of(), "likes", 1234L));

        assertThat(decoder.decode(bytes).getPostId()).isEqualTo("new");
    }

    @Test
    void anUnknownIdIsRetriedOnceTheSchemaIsRegistered() throws Exception {
        int postId = registry.register("posts-value", PortableSchemas.post());
        Schema newer = SchemaEdits.withField(PortableSchemas.post(), "{\"name\":\"likes\",\"type\":\"long\",\"default\":0}");
        // A producer writes with the next id before its schema is registered.
        byte[] early = ConfluentWireFormat.frame(postId + 1, body(newer,
                Map.of("postId", "early", "text", "hi", "eventTime", 1L, "attributes", Map.of(), "likes", 3L)));

        assertThatThrownBy(() -> decoder.decode(early))
                .isInstanceOfSatisfying(PoisonRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(PoisonReason.UNKNOWN_SCHEMA_ID));

        assertThat(registry.register("posts-value", newer)).isEqualTo(postId + 1);
        assertThat(decoder.decode(early).getPostId()).isEqualTo("early");
    }

    @Test
    void aRegistryOutageIsNotAPoisonRecord() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RegistrySettings settings = RegistrySettings.of("http://127.0.0.1:" + closedPort)
                .withRetries(1, Duration.ofMillis(5))
                .withRequestTimeout(Duration.ofSeconds(2));
        ConfluentAvroDecoder<Post> offline =
                new ConfluentAvroDecoder<>(new HttpSchemaRegistryClient(settings), Post.getClassSchema(), 10);

        assertThatThrownBy(() -> offline.decode(ConfluentWireFormat.frame(1, new byte[] {2, 'a', 2, 'b', 0})))
                .isInstanceOf(RegistryUnavailableException.class);
    }

    private byte[] write(Schema schema, Map<String, Object> fields) throws IOException {
        return ConfluentWireFormat.frame(registry.register("posts-value", schema), body(schema, fields));
    }

    private static byte[] body(Schema schema, Map<String, Object> fields) throws IOException {
        GenericRecord record = new GenericData.Record(schema);
        fields.forEach(record::put);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
