package org.mafstream.job.io;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a {@link DeadLetter} with its original key and value bytes and the reason headers. */
public final class DeadLetterSerializationSchema implements KafkaRecordSerializationSchema<DeadLetter> {
    private final String topic;

    public DeadLetterSerializationSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, letter.key, letter.value, letter.headers());
    }
}
