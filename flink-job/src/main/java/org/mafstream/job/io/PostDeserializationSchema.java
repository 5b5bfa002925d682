package org.mafstream.job.io;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.job.registry.SchemaRegistryClient;
import org.mafstream.schemas.Post;

/**
 * Reads Confluent-framed Avro posts into the job's {@link Post} schema. A record that can never be
 * read becomes a {@link DeadLetter} on the right side instead of an exception, so one bad record
 * never stops the source; registry outages still throw, so the job retries rather than losing a
 * good record.
 */
public final class PostDeserializationSchema
        implements KafkaRecordDeserializationSchema<Either<IncomingPost, DeadLetter>> {
    private final RegistrySettings registrySettings;
    private transient SchemaRegistryClient registry;
    private transient ConfluentAvroDecoder<Post> decoder;

    public PostDeserializationSchema(RegistrySettings registrySettings) {
        this.registrySettings = registrySettings;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        registry = SchemaRegistries.connect(registrySettings);
        decoder = new ConfluentAvroDecoder<>(registry, Post.getClassSchema(), registrySettings.cacheCapacity());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<IncomingPost, DeadLetter>> out) {
        try {
            Post post = decoder.decode(record.value());
            if (post.getPostId().isEmpty()) {
                throw new PoisonRecordException(PoisonReason.INVALID_POST, "postId is empty");
            }
            out.collect(Either.Left(new IncomingPost(post, record.key(), record.value(), record.topic(),
                    record.partition(), record.offset(), record.timestamp(), System.currentTimeMillis())));
        } catch (PoisonRecordException e) {
            out.collect(Either.Right(DeadLetter.of(record, e.reason().name(), e)));
        }
    }

    @Override
    public TypeInformation<Either<IncomingPost, DeadLetter>> getProducedType() {
        return new EitherTypeInfo<>(TypeInformation.of(IncomingPost.class), TypeInformation.of(DeadLetter.class));
    }
}
