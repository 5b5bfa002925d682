package org.mafstream.job.tools;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.mafstream.job.io.ConfluentAvroEncoder;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.registry.SchemaRegistryClient;
import org.mafstream.schemas.PortableSchemas;
import org.mafstream.schemas.Post;

/**
 * Writes posts the way a Confluent producer would: the Post schema registered under
 * {@code <topic>-value}, values as framed Avro, keys as the UTF-8 post id. Every send waits for
 * the broker's acknowledgement.
 */
public final class PostProducer implements AutoCloseable {
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroEncoder<Post> encoder;

    public PostProducer(String bootstrapServers, String topic, String registryUrl) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(properties(bootstrapServers));
        SchemaRegistryClient registry = SchemaRegistries.connect(RegistrySettings.of(registryUrl));
        int id = registry.register(topic + "-value", PortableSchemas.post());
        this.encoder = new ConfluentAvroEncoder<>(id, Post.getClassSchema());
    }

    public byte[] encode(Post post) {
        return encoder.encode(post);
    }

    public void send(Post post) {
        sendRaw(post.getPostId().getBytes(StandardCharsets.UTF_8), encode(post));
    }

    public void sendRaw(byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    private static Properties properties(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    @Override
    public void close() {
        producer.close();
    }
}
