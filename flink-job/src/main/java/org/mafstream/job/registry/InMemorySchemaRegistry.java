package org.mafstream.job.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * An in-memory registry: for {@code mock://<scope>} URLs, as Confluent's serdes offer (one
 * instance per scope, shared by everything in the JVM), and behind the local registry server
 * ({@link #create()}, an instance of its own). Behaves like the real registry where a client can
 * tell: global ids shared across subjects, idempotent registration, versions numbered from 1 per
 * subject, BACKWARD compatibility (Confluent's default) enforced per subject against the latest
 * version, Confluent's error codes. Nothing is deleted and nothing persists.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    /** Per subject, its versions in order: version n is element n - 1. Sorted, as Confluent lists subjects. */
    private final Map<String, List<Schema>> versionsBySubject = new TreeMap<>();

    private InMemorySchemaRegistry() {}

    public static InMemorySchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets a scope, so the next {@link #forScope} starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    /** An empty registry of its own, in no {@code mock://} scope. */
    public static InMemorySchemaRegistry create() {
        return new InMemorySchemaRegistry();
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (!versions.contains(schema)) {
            if (!versions.isEmpty()) {
                List<String> problems = incompatibilities(schema, versions.get(versions.size() - 1));
                if (!problems.isEmpty()) {
                    throw new IncompatibleSchemaException(
                            "Schema being registered is incompatible with the latest version of subject '"
                                    + subject + "': " + String.join("; ", problems),
                            409);
                }
            }
            versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(schema);
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
        return lookUp(subject, schema).id();
    }

    /** The version of {@code subject} that holds {@code schema}: 40401 no such subject, 40403 not under it. */
    public synchronized SchemaVersion lookUp(String subject, Schema schema) {
        List<Schema> versions = versionsOf(subject);
        int index = versions.indexOf(schema);
        if (index < 0) {
            throw new SchemaNotFoundException("Schema not found under subject '" + subject + "'", 40403);
        }
        return new SchemaVersion(subject, index + 1, idsBySchema.get(schema), schema);
    }

    /** Every subject with at least one version, sorted. */
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    /** The version numbers of {@code subject}, ascending; 40401 when there is no such subject. */
    public synchronized List<Integer> versions(String subject) {
        return IntStream.rangeClosed(1, versionsOf(subject).size()).boxed().toList();
    }

    /** One version of {@code subject}: 40401 no such subject, 40402 no such version. */
    public synchronized SchemaVersion version(String subject, VersionSelector selector) {
        List<Schema> versions = versionsOf(subject);
        int number = selector.isLatest() ? versions.size() : selector.number();
        if (number > versions.size()) {
            throw new SchemaNotFoundException("Version " + number + " not found.", 40402);
        }
        Schema schema = versions.get(number - 1);
        return new SchemaVersion(subject, number, idsBySchema.get(schema), schema);
    }

    /**
     * Why {@code schema} could not be registered after the selected version of {@code subject}
     * under BACKWARD compatibility (it must read what that version wrote); empty when it could.
     * 40401 no such subject, 40402 no such version.
     */
    public synchronized List<String> incompatibilities(String subject, VersionSelector against, Schema schema) {
        return incompatibilities(schema, version(subject, against).schema());
    }

    private List<Schema> versionsOf(String subject) {
        List<Schema> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaNotFoundException("Subject '" + subject + "' not found.", 40401);
        }
        return versions;
    }

    private static List<String> incompatibilities(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        return result.getResult().getIncompatibilities().stream()
                .map(InMemorySchemaRegistry::describe)
                .toList();
    }

    private static String describe(Incompatibility incompatibility) {
        return incompatibility.getType() + " at " + incompatibility.getLocation() + ": " + incompatibility.getMessage();
    }
}
