package org.mafstream.job.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory registry for {@code mock://<scope>} URLs, as Confluent's serdes offer: one
 * instance per scope, shared by everything in the JVM. Behaves like the real registry where the
 * job can tell: global ids shared across subjects, idempotent registration, BACKWARD
 * compatibility enforced per subject, Confluent's 404 error codes.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();

    private InMemorySchemaRegistry() {}

    public static InMemorySchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets a scope, so the next {@link #forScope} starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            if (!versions.isEmpty()) {
                requireBackwardCompatible(subject, schema, versions.get(versions.size() - 1));
            }
            versions.add(schema);
        }
        return idsBySchema.computeIfAbsent(schema, s -> {
            int id = schemasById.size() + 1;
            schemasById.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("Schema " + id + " not found", 40403);
        }
        return schema;
    }

    @Override
    public synchronized int getId(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaNotFoundException("Subject '" + subject + "' not found.", 40401);
        }
        if (!versions.contains(schema)) {
            throw new SchemaNotFoundException("Schema not found under subject '" + subject + "'", 40403);
        }
        return idsBySchema.get(schema);
    }

    private static void requireBackwardCompatible(String subject, Schema next, Schema latest) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(next, latest);
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new IncompatibleSchemaException(
                    "Schema being registered is incompatible with the latest version of subject '"
                            + subject + "': " + result.getDescription(),
                    409);
        }
    }
}
