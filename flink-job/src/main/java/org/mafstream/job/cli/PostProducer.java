package org.mafstream.job.cli;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.mafstream.job.io.ConfluentAvroEncoder;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.registry.SchemaRegistryClient;
import org.mafstream.schemas.PortableSchemas;
import org.mafstream.schemas.Post;

/**
 * Writes posts the way a Confluent producer would: the Post schema registered under
 * {@code <topic>-value}, values as framed Avro, keys as the UTF-8 post id. {@link #send} waits
 * for the broker's acknowledgement; {@link #sendAsync} does not, for bulk loads.
 */
public final class PostProducer implements AutoCloseable {
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroEncoder<Post> encoder;

    public PostProducer(String bootstrapServers, String topic, String registryUrl) {
        this(bootstrapServers, topic, RegistrySettings.of(registryUrl), new Properties());
    }

    /** @param clientProperties Kafka producer properties (security settings, ...) on top of the defaults */
    public PostProducer(String bootstrapServers, String topic, RegistrySettings registry, Properties clientProperties) {
        this.topic = topic;
        // Registered before the Kafka client exists, so a registry failure leaks no client.
        SchemaRegistryClient client = SchemaRegistries.connect(registry);
        int id = client.register(topic + "-value", PortableSchemas.post());
        this.encoder = new ConfluentAvroEncoder<>(id, Post.getClassSchema());
        this.producer = new KafkaProducer<>(properties(bootstrapServers, clientProperties));
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

    /** Sends without waiting; the future completes when the broker acknowledged or refused the post. */
    public CompletableFuture<RecordMetadata> sendAsync(Post post) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, post.getPostId().getBytes(StandardCharsets.UTF_8), encode(post)),
                (metadata, error) -> {
                    if (error == null) {
                        result.complete(metadata);
                    } else {
                        result.completeExceptionally(error);
                    }
                });
        return result;
    }

    /** Waits until every post sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    private static Properties properties(String bootstrapServers, Properties clientProperties) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putAll(clientProperties);
        // Not overridable: the values are framed Avro bytes made here.
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    @Override
    public void close() {
        producer.close();
    }
}
