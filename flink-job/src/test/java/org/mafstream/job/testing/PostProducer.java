package org.mafstream.job.testing;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mafstream.job.io.ConfluentAvroEncoder;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.registry.SchemaRegistryClient;
import org.mafstream.schemas.PortableSchemas;
import org.mafstream.schemas.Post;

/** Writes posts the way a Confluent producer would: schema registered under <topic>-value, framed Avro. */
public final class PostProducer implements AutoCloseable {
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroEncoder<Post> encoder;

    public PostProducer(String bootstrapServers, String topic, String registryUrl) {
        this.topic = topic;
        this.producer = KafkaTestClients.producer(bootstrapServers);
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
        KafkaTestClients.send(producer, new ProducerRecord<>(topic, key, value));
    }

    @Override
    public void close() {
        producer.close();
    }
}
