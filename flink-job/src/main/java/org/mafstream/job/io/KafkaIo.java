package org.mafstream.job.io;

import java.util.Properties;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.mafstream.job.JobConfig;
import org.mafstream.schemas.PostAnnotations;

/** The job's Kafka source and sinks, built from its {@link JobConfig}. */
public final class KafkaIo {
    private KafkaIo() {}

    public static KafkaSource<Either<IncomingPost, DeadLetter>> postSource(JobConfig config) {
        KafkaSourceBuilder<Either<IncomingPost, DeadLetter>> builder = KafkaSource.<Either<IncomingPost, DeadLetter>>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.inputTopic())
                .setGroupId(config.groupId())
                .setStartingOffsets(startingOffsets(config))
                .setDeserializer(new PostDeserializationSchema(config.registry()))
                .setProperties(config.kafkaClientProperties());
        if (config.stopAtLatest()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    public static KafkaSink<PostAnnotations> annotationsSink(JobConfig config) {
        return sink(config, "annotations",
                new AnnotationsSerializationSchema(config.outputTopic(), config.registry(), config.autoRegisterSchemas()));
    }

    public static KafkaSink<DeadLetter> deadLetterSink(JobConfig config) {
        return sink(config, "dead-letters", new DeadLetterSerializationSchema(config.deadLetterTopic()));
    }

    private static <T> KafkaSink<T> sink(JobConfig config, String name, KafkaRecordSerializationSchema<T> serializer) {
        Properties producer = config.kafkaClientProperties();
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(config.transactionTimeout().toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(config.deliveryGuarantee())
                // Each sink needs its own transactional ids, or the two would fence each other.
                .setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + name)
                .build();
    }

    private static OffsetsInitializer startingOffsets(JobConfig config) {
        return switch (config.startingOffsets()) {
            case COMMITTED_OR_EARLIEST -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
        };
    }

}
