package org.mafstream.job.io;

/** Why an input record cannot become a post. Written to the dead-letter header {@code dlq.reason}. */
public enum PoisonReason {
    /** The record has no value (a tombstone or a producer bug). */
    NULL_VALUE,
    /** Shorter than the 5-byte Confluent header. */
    TRUNCATED_FRAME,
    /** Byte 0 is not the Confluent magic byte 0x00. */
    BAD_MAGIC_BYTE,
    /** The registry has no schema with the id in bytes 1-4. */
    UNKNOWN_SCHEMA_ID,
    /** The writer schema lacks a field the job's reader schema requires (no default). */
    MISSING_REQUIRED_FIELD,
    /** The writer schema cannot be resolved to the job's reader schema for another reason. */
    INCOMPATIBLE_SCHEMA,
    /** The Avro bytes do not decode with the writer schema (truncated, corrupt, trailing bytes). */
    CORRUPT_AVRO,
    /** Decoded, but breaks a rule the schema cannot express (e.g. an empty postId). */
    INVALID_POST
}
