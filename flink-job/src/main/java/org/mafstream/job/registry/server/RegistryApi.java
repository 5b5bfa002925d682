package org.mafstream.job.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.mafstream.job.registry.InMemorySchemaRegistry;
import org.mafstream.job.registry.SchemaRegistryException;
import org.mafstream.job.registry.SchemaVersion;
import org.mafstream.job.registry.VersionSelector;

/**
 * The subset of Confluent's Schema Registry REST API that the job and the tools use, answered
 * from an {@link InMemorySchemaRegistry}. Status codes, error codes and bodies follow Confluent's
 * documentation; the registry's typed exceptions carry both codes, so they are answered as they
 * are. Only Avro schemas, without references; nothing can be deleted.
 */
final class RegistryApi {
    /** Request content types Confluent's REST layer consumes. */
    private static final List<String> ACCEPTED_CONTENT_TYPES = List.of(
            "application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json",
            "application/json",
            "application/octet-stream");

    private final InMemorySchemaRegistry registry;
    private final ObjectMapper json = new ObjectMapper();

    RegistryApi(InMemorySchemaRegistry registry) {
        this.registry = registry;
    }

    RegistryAnswer answer(RegistryRequest request) {
        try {
            return route(request, request.segments());
        } catch (SchemaRegistryException e) {
            return RegistryAnswer.error(e.httpStatus(), e.errorCode(), e.getMessage());
        } catch (BadRequest e) {
            return e.answer;
        }
    }

    private RegistryAnswer route(RegistryRequest request, List<String> path) {
        String method = request.method();
        if (is(path, "subjects")) {
            return method.equals("GET") ? subjects() : RegistryAnswer.methodNotAllowed();
        }
        if (is(path, "subjects", null)) {
            return method.equals("POST") ? lookUp(path.get(1), schemaIn(request)) : RegistryAnswer.methodNotAllowed();
        }
        if (is(path, "subjects", null, "versions")) {
            return switch (method) {
                case "GET" -> versions(path.get(1));
                case "POST" -> register(path.get(1), schemaIn(request));
                default -> RegistryAnswer.methodNotAllowed();
            };
        }
        if (is(path, "subjects", null, "versions", null)) {
            return method.equals("GET")
                    ? version(path.get(1), VersionSelector.parse(path.get(3)))
                    : RegistryAnswer.methodNotAllowed();
        }
        if (is(path, "schemas", "ids", null)) {
            if (!method.equals("GET")) {
                return RegistryAnswer.methodNotAllowed();
            }
            try {
                return schemaById(Integer.parseInt(path.get(2)));
            } catch (NumberFormatException e) {
                return RegistryAnswer.notFound(); // not an id: no such resource, as Confluent answers
            }
        }
        if (is(path, "compatibility", "subjects", null, "versions", null)) {
            return method.equals("POST")
                    ? compatibility(path.get(2), VersionSelector.parse(path.get(4)), schemaIn(request),
                            request.flag("verbose"))
                    : RegistryAnswer.methodNotAllowed();
        }
        return RegistryAnswer.notFound();
    }

    private RegistryAnswer subjects() {
        ArrayNode subjects = json.createArrayNode();
        registry.subjects().forEach(subjects::add);
        return RegistryAnswer.ok(subjects);
    }

    private RegistryAnswer versions(String subject) {
        ArrayNode versions = json.createArrayNode();
        registry.versions(subject).forEach(versions::add);
        return RegistryAnswer.ok(versions);
    }

    private RegistryAnswer register(String subject, Schema schema) {
        return RegistryAnswer.ok(json.createObjectNode().put("id", registry.register(subject, schema)));
    }

    private RegistryAnswer lookUp(String subject, Schema schema) {
        return RegistryAnswer.ok(describe(registry.lookUp(subject, schema)));
    }

    private RegistryAnswer version(String subject, VersionSelector selector) {
        return RegistryAnswer.ok(describe(registry.version(subject, selector)));
    }

    private RegistryAnswer schemaById(int id) {
        return RegistryAnswer.ok(json.createObjectNode().put("schema", registry.getById(id).toString()));
    }

    private RegistryAnswer compatibility(String subject, VersionSelector against, Schema schema, boolean verbose) {
        List<String> problems = registry.incompatibilities(subject, against, schema);
        ObjectNode answer = json.createObjectNode().put("is_compatible", problems.isEmpty());
        if (verbose) {
            ArrayNode messages = answer.putArray("messages");
            problems.forEach(messages::add);
        }
        return RegistryAnswer.ok(answer);
    }

    private ObjectNode describe(SchemaVersion version) {
        ObjectNode answer = json.createObjectNode();
        answer.put("subject", version.subject());
        answer.put("version", version.version());
        answer.put("id", version.id());
        answer.put("schema", version.schema().toString());
        return answer;
    }

    /** The schema of a {@code {"schema": "...", "schemaType": "AVRO"}} body. */
    private Schema schemaIn(RegistryRequest request) {
        if (!acceptedContentType(request.contentType())) {
            throw new BadRequest(RegistryAnswer.error(415, 415, "HTTP 415 Unsupported Media Type"));
        }
        JsonNode body;
        try {
            body = json.readTree(request.body());
        } catch (IOException e) {
            throw new BadRequest(RegistryAnswer.error(400, 400, "Unrecognized request body: " + e.getMessage()));
        }
        if (body == null || !body.path("schema").isTextual() || body.path("schema").asText().isBlank()) {
            throw new BadRequest(RegistryAnswer.error(422, 42201, "Empty schema"));
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new BadRequest(RegistryAnswer.error(422, 42201,
                    "Invalid schema type " + type + ": this local registry holds Avro schemas only"));
        }
        if (body.path("references").size() > 0) {
            throw new BadRequest(RegistryAnswer.error(422, 42201,
                    "Schema references are not supported by this local registry"));
        }
        try {
            return new Schema.Parser().parse(body.path("schema").asText());
        } catch (SchemaParseException | IllegalArgumentException e) {
            throw new BadRequest(RegistryAnswer.error(422, 42201,
                    "Either the input schema or one of its references is invalid: " + e.getMessage()));
        }
    }

    private static boolean acceptedContentType(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return ACCEPTED_CONTENT_TYPES.contains(mediaType);
    }

    /** Whether {@code path} has the shape of {@code pattern}, where null matches any one segment. */
    private static boolean is(List<String> path, String... pattern) {
        if (path.size() != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] != null && !pattern[i].equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A request the API refuses before it reaches the registry. */
    private static final class BadRequest extends RuntimeException {
        private final RegistryAnswer answer;

        BadRequest(RegistryAnswer answer) {
            super(answer.body().toString(), null, false, false);
            this.answer = answer;
        }
    }
}
