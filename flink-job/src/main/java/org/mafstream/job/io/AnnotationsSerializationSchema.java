package org.mafstream.job.io;

import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.registry.SchemaRegistryClient;
import org.mafstream.schemas.PortableSchemas;
import org.mafstream.schemas.PostAnnotations;

/**
 * Writes {@link PostAnnotations} keyed by post id (UTF-8) with a Confluent-framed Avro value. The
 * schema is registered under {@code <topic>-value} once, when the task opens (or, with
 * auto-registration off, its existing id is looked up there).
 */
public final class AnnotationsSerializationSchema implements KafkaRecordSerializationSchema<PostAnnotations> {
    private final String topic;
    private final RegistrySettings registrySettings;
    private final boolean autoRegister;
    private transient ConfluentAvroEncoder<PostAnnotations> encoder;

    public AnnotationsSerializationSchema(String topic, RegistrySettings registrySettings, boolean autoRegister) {
        this.topic = topic;
        this.registrySettings = registrySettings;
        this.autoRegister = autoRegister;
    }

    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        try (SchemaRegistryClient registry = SchemaRegistries.connect(registrySettings)) {
            String subject = valueSubject(topic);
            Schema published = PortableSchemas.postAnnotations();
            int id = autoRegister ? registry.register(subject, published) : registry.getId(subject, published);
            encoder = new ConfluentAvroEncoder<>(id, PostAnnotations.getClassSchema());
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(PostAnnotations element, KafkaSinkContext context, Long timestamp) {
        byte[] key = element.getPostId().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, timestamp, key, encoder.encode(element));
    }
}
