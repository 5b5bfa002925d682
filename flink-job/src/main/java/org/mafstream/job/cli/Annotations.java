package org.mafstream.job.cli;

import org.mafstream.job.io.ConfluentAvroDecoder;
import org.mafstream.job.io.PoisonRecordException;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.registry.SchemaRegistries;
import org.mafstream.schemas.PostAnnotations;

/** Decodes output values the way a downstream Confluent consumer would. */
public final class Annotations {
    private final ConfluentAvroDecoder<PostAnnotations> decoder;

    public Annotations(String registryUrl) {
        decoder = new ConfluentAvroDecoder<>(
                SchemaRegistries.connect(RegistrySettings.of(registryUrl)), PostAnnotations.getClassSchema(), 10);
    }

    public PostAnnotations decode(byte[] value) {
        try {
            return decoder.decode(value);
        } catch (PoisonRecordException e) {
            throw new IllegalStateException("unreadable annotation: " + e.getMessage(), e);
        }
    }
}
