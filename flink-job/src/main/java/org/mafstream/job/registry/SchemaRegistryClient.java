package org.mafstream.job.registry;

import org.apache.avro.Schema;

/**
 * The three Confluent Schema Registry operations the job needs. Implementations throw the typed
 * {@link SchemaRegistryException} subclasses; {@link RegistryUnavailableException} is the only
 * transient one.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id; {@link SchemaNotFoundException} when there is none. */
    Schema getById(int id);

    /** The id of {@code schema} under {@code subject}; {@link SchemaNotFoundException} when not registered there. */
    int getId(String subject, Schema schema);

    @Override
    default void close() {}
}
