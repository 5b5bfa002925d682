package org.mafstream.job.io;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.mafstream.job.registry.SchemaNotFoundException;
import org.mafstream.job.registry.SchemaRegistryClient;

/**
 * Decodes Confluent-framed Avro into a SpecificRecord: looks the writer schema up by id, checks
 * once per id that it resolves to the reader schema, and reads with schema resolution. Every
 * failure that retrying cannot fix is a {@link PoisonRecordException}; registry outages are not
 * and propagate as they are.
 */
public final class ConfluentAvroDecoder<T extends SpecificRecord> {
    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final Cache<Integer, Resolution<T>> resolutionsById;

    /** Per writer schema id: a reader, or the reason this writer can never be read. */
    private record Resolution<T>(SpecificDatumReader<T> reader, PoisonReason reason, String problem) {}

    public ConfluentAvroDecoder(SchemaRegistryClient registry, Schema readerSchema, int cacheCapacity) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.resolutionsById = Caffeine.newBuilder().maximumSize(cacheCapacity).build();
    }

    public T decode(byte[] message) throws PoisonRecordException {
        if (message == null) {
            throw new PoisonRecordException(PoisonReason.NULL_VALUE, "record value is null");
        }
        int schemaId = ConfluentWireFormat.schemaId(message);
        Resolution<T> resolution = resolve(schemaId);
        if (resolution.reader() == null) {
            throw new PoisonRecordException(resolution.reason(), resolution.problem());
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                message, ConfluentWireFormat.HEADER_LENGTH, message.length - ConfluentWireFormat.HEADER_LENGTH, null);
        T record;
        try {
            record = resolution.reader().read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new PoisonRecordException(PoisonReason.CORRUPT_AVRO,
                    "cannot decode Avro written with schema " + schemaId + ": " + e, e);
        }
        if (!isFullyConsumed(decoder)) {
            throw new PoisonRecordException(PoisonReason.CORRUPT_AVRO,
                    "bytes left over after decoding a record of schema " + schemaId);
        }
        return record;
    }

    private Resolution<T> resolve(int schemaId) throws PoisonRecordException {
        try {
            return resolutionsById.get(schemaId, this::resolveUncached);
        } catch (SchemaNotFoundException e) {
            // Not cached: the schema may be registered later (a producer that registers late).
            throw new PoisonRecordException(PoisonReason.UNKNOWN_SCHEMA_ID,
                    "schema id " + schemaId + " is not in the registry: " + e.getMessage(), e);
        }
    }

    private Resolution<T> resolveUncached(int schemaId) {
        Schema writerSchema = registry.getById(schemaId);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return new Resolution<>(
                    new SpecificDatumReader<>(writerSchema, readerSchema, SpecificData.getForSchema(readerSchema)),
                    null, null);
        }
        // Only missing fields: an old or broken producer of our record. Anything else (another
        // record name, a type change): a different schema altogether.
        boolean missingField = compatibility.getResult().getIncompatibilities().stream()
                .map(Incompatibility::getType)
                .allMatch(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE::equals);
        return new Resolution<>(null,
                missingField ? PoisonReason.MISSING_REQUIRED_FIELD : PoisonReason.INCOMPATIBLE_SCHEMA,
                "writer schema " + schemaId + " (" + writerSchema.getFullName() + ") cannot be read as "
                        + readerSchema.getFullName() + ": " + compatibility.getDescription());
    }

    private static boolean isFullyConsumed(BinaryDecoder decoder) {
        try {
            return decoder.isEnd();
        } catch (IOException e) {
            return false;
        }
    }
}
