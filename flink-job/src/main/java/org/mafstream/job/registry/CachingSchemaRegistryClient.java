package org.mafstream.job.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.avro.Schema;

/**
 * Bounded caches in front of a registry. Ids and schemas never change once assigned, so entries
 * need no expiry; failures are not cached, so a transient outage heals by itself.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {
    private final SchemaRegistryClient delegate;
    private final Cache<Integer, Schema> schemasById;
    private final Cache<SubjectSchema, Integer> idsBySubjectSchema;

    private record SubjectSchema(String subject, Schema schema) {}

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity) {
        this.delegate = delegate;
        this.schemasById = Caffeine.newBuilder().maximumSize(capacity).build();
        this.idsBySubjectSchema = Caffeine.newBuilder().maximumSize(capacity).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.get(
                new SubjectSchema(subject, schema), k -> delegate.register(subject, schema));
    }

    @Override
    public Schema getById(int id) {
        return schemasById.get(id, delegate::getById);
    }

    @Override
    public int getId(String subject, Schema schema) {
        return idsBySubjectSchema.get(
                new SubjectSchema(subject, schema), k -> delegate.getId(subject, schema));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
