package org.mafstream.job.registry;

import org.apache.avro.Schema;

/** One version of a subject: what Confluent's {@code GET /subjects/{subject}/versions/{version}} answers. */
public record SchemaVersion(String subject, int version, int id, Schema schema) {}
