package org.mafstream.job.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/** Small schemas for the registry tests: a record {@code Sample} in three versions, and another record. */
final class SampleSchemas {
    private static final String NAMESPACE = "org.mafstream.test";

    /** {@code Sample} with one string field. */
    static final Schema V1 = SchemaBuilder.record("Sample").namespace(NAMESPACE).fields()
            .requiredString("name")
            .endRecord();

    /** V1 plus an optional field with a default: BACKWARD compatible with V1. */
    static final Schema V2 = SchemaBuilder.record("Sample").namespace(NAMESPACE).fields()
            .requiredString("name")
            .optionalString("note")
            .endRecord();

    /** V2 plus a required field without a default: not BACKWARD compatible with V2. */
    static final Schema V3 = SchemaBuilder.record("Sample").namespace(NAMESPACE).fields()
            .requiredString("name")
            .optionalString("note")
            .requiredInt("count")
            .endRecord();

    /** An unrelated record. */
    static final Schema OTHER = SchemaBuilder.record("Other").namespace(NAMESPACE).fields()
            .requiredLong("at")
            .endRecord();

    private SampleSchemas() {}
}
