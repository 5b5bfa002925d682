package org.mafstream.job.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * A Confluent Schema Registry look-alike on the JDK's {@link HttpServer}, bound to 127.0.0.1 on
 * a free port. It answers the three calls the job makes the way the Confluent REST API documents
 * them, status codes, error codes and content type included:
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions} with {@code {"schema":"..."}}: {@code {"id":N}};
 *       the same schema again gets the same id, ids are global across subjects, a schema that
 *       breaks BACKWARD compatibility with the subject's latest version is a 409 (error code
 *       409), a schema that does not parse a 422 (42201).
 *   <li>{@code GET /schemas/ids/{id}}: {@code {"schema":"..."}}, or 404 with 40403.
 *   <li>{@code POST /subjects/{subject}}: {@code {"subject","id","version","schema"}}, or 404
 *       with 40401 (no such subject) or 40403 (schema not under the subject).
 * </ul>
 *
 * <p>Its state is its own (plain maps and Avro's {@link SchemaCompatibility}), independent of the
 * registry code under test. Faults can be injected: the next N requests answer a given status,
 * every answer is delayed, basic auth is required. Every request received is counted and
 * logged, faulty ones included.
 */
final class ConfluentRegistryStub implements AutoCloseable {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    /** Request content types the real registry's REST layer consumes. */
    private static final List<String> ACCEPTED_CONTENT_TYPES = List.of(
            "application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json",
            "application/json",
            "application/octet-stream");

    private final ObjectMapper json = new ObjectMapper();

    // Registry state, guarded by "this".
    private final Map<String, Integer> idsByCanonicalSchema = new HashMap<>();
    private final Map<Integer, String> canonicalSchemasById = new HashMap<>();
    /** Per subject, the ids of its versions in order: version n is element n - 1. */
    private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
    private int nextId = 1;

    // Faults, guarded by "this".
    private int faultsLeft;
    private int faultStatus;
    private int faultErrorCode;
    private String faultMessage;
    private Duration delay = Duration.ZERO;
    private String requiredAuthorization;

    private final AtomicInteger requestCount = new AtomicInteger();
    private final List<String> requestLog = new CopyOnWriteArrayList<>();
    private final List<String> authorizationHeaders = new CopyOnWriteArrayList<>();

    private HttpServer server;
    private ExecutorService executor;

    ConfluentRegistryStub start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A pool, not the server's single default thread, so a delayed answer does not hold up
        // the requests behind it (a client that timed out retries while the stub still sleeps).
        executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "registry-stub");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    // ---- fault injection and observation ----

    /**
     * The next {@code count} requests answer {@code status} with a Confluent-style error body
     * whatever they ask; the error code is the one the registry uses for that status.
     */
    synchronized ConfluentRegistryStub failNext(int count, int status) {
        return failNext(count, status, defaultErrorCode(status), defaultMessage(status));
    }

    synchronized ConfluentRegistryStub failNext(int count, int status, int errorCode, String message) {
        faultsLeft = count;
        faultStatus = status;
        faultErrorCode = errorCode;
        faultMessage = message;
        return this;
    }

    /** Every request answers {@code status} until {@link #clearFaults()}. */
    ConfluentRegistryStub failAlways(int status) {
        return failNext(Integer.MAX_VALUE, status);
    }

    /** Every answer waits this long before it is sent. */
    synchronized ConfluentRegistryStub delayResponses(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Requests without {@code Authorization: Basic base64(user:password)} answer 401. */
    synchronized ConfluentRegistryStub requireBasicAuth(String user, String password) {
        this.requiredAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    synchronized ConfluentRegistryStub clearFaults() {
        faultsLeft = 0;
        delay = Duration.ZERO;
        requiredAuthorization = null;
        return this;
    }

    /** Requests received since start or the last {@link #resetRequestCount()}, faulty ones included. */
    int requestCount() {
        return requestCount.get();
    }

    /** Each request received, as {@code "METHOD /raw/path"}. */
    List<String> requestLog() {
        return List.copyOf(requestLog);
    }

    /** The {@code Authorization} header of each request received, or "" where it had none. */
    List<String> authorizationHeaders() {
        return List.copyOf(authorizationHeaders);
    }

    void resetRequestCount() {
        requestCount.set(0);
        requestLog.clear();
        authorizationHeaders.clear();
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requestCount.incrementAndGet();
            requestLog.add(method + " " + rawPath);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizationHeaders.add(authorization == null ? "" : authorization);

            Duration wait;
            String requiredAuth;
            Answer fault = null;
            synchronized (this) {
                wait = delay;
                requiredAuth = requiredAuthorization;
                if (faultsLeft > 0) {
                    if (faultsLeft != Integer.MAX_VALUE) {
                        faultsLeft--;
                    }
                    fault = Answer.error(faultStatus, faultErrorCode, faultMessage);
                }
            }
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // the stub is closing
                }
            }

            Answer answer;
            if (fault != null) {
                answer = fault;
            } else if (requiredAuth != null && !requiredAuth.equals(authorization)) {
                answer = Answer.error(401, 401, "Unauthorized");
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SchemaRegistry\"");
            } else {
                answer = route(method, rawPath, exchange.getRequestHeaders().getFirst("Content-Type"), body);
            }
            byte[] bytes = answer.body().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Answer route(String method, String rawPath, String contentType, byte[] body) {
        List<String> segments = segments(rawPath);
        boolean schemaById = segments.size() == 3
                && segments.get(0).equals("schemas") && segments.get(1).equals("ids");
        boolean subjectVersions = segments.size() == 3
                && segments.get(0).equals("subjects") && segments.get(2).equals("versions");
        boolean subject = segments.size() == 2 && segments.get(0).equals("subjects");
        if (!schemaById && !subjectVersions && !subject) {
            return Answer.error(404, 404, "HTTP 404 Not Found");
        }
        if (schemaById) {
            if (!method.equals("GET")) {
                return Answer.error(405, 405, "HTTP 405 Method Not Allowed");
            }
            int id;
            try {
                id = Integer.parseInt(segments.get(2));
            } catch (NumberFormatException e) {
                return Answer.error(404, 404, "HTTP 404 Not Found");
            }
            return getSchemaById(id);
        }
        if (!method.equals("POST")) {
            return Answer.error(405, 405, "HTTP 405 Method Not Allowed");
        }
        if (!acceptedContentType(contentType)) {
            return Answer.error(415, 415, "HTTP 415 Unsupported Media Type");
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (IOException e) {
            return Answer.error(400, 400, "Unrecognized request body: " + e.getMessage());
        }
        if (request == null || !request.path("schema").isTextual()) {
            return Answer.error(422, 42201, "Empty schema");
        }
        String schemaType = request.path("schemaType").asText("AVRO");
        if (!schemaType.equals("AVRO")) {
            return Answer.error(422, 42201, "Invalid schema type " + schemaType);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(request.path("schema").asText());
        } catch (SchemaParseException | IllegalArgumentException e) {
            return Answer.error(422, 42201,
                    "Either the input schema or one of its references is invalid: " + e.getMessage());
        }
        String subjectName = segments.get(1);
        return subjectVersions ? register(subjectName, schema) : lookUp(subjectName, schema);
    }

    private synchronized Answer register(String subject, Schema schema) {
        String canonical = schema.toString();
        List<Integer> versions = versionsBySubject.get(subject);
        Integer existing = idsByCanonicalSchema.get(canonical);
        if (existing != null && versions != null && versions.contains(existing)) {
            return Answer.ok(json.createObjectNode().put("id", existing));
        }
        if (versions != null && !versions.isEmpty()) {
            // BACKWARD, the registry's default: the new schema must read what the latest wrote.
            Schema latest = new Schema.Parser().parse(canonicalSchemasById.get(versions.get(versions.size() - 1)));
            SchemaCompatibility.SchemaPairCompatibility check =
                    SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
            if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                return Answer.error(409, 409,
                        "Schema being registered is incompatible with an earlier schema for subject \""
                                + subject + "\", details: [" + check.getDescription() + "]");
            }
        }
        int id;
        if (existing != null) {
            id = existing;
        } else {
            id = nextId++;
            idsByCanonicalSchema.put(canonical, id);
            canonicalSchemasById.put(id, canonical);
        }
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return Answer.ok(json.createObjectNode().put("id", id));
    }

    private synchronized Answer lookUp(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            return Answer.error(404, 40401, "Subject '" + subject + "' not found.");
        }
        String canonical = schema.toString();
        Integer id = idsByCanonicalSchema.get(canonical);
        int index = id == null ? -1 : versions.indexOf(id);
        if (index < 0) {
            return Answer.error(404, 40403, "Schema not found");
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("subject", subject);
        answer.put("id", id);
        answer.put("version", index + 1);
        answer.put("schema", canonical);
        return Answer.ok(answer);
    }

    private synchronized Answer getSchemaById(int id) {
        String canonical = canonicalSchemasById.get(id);
        if (canonical == null) {
            return Answer.error(404, 40403, "Schema " + id + " not found");
        }
        return Answer.ok(json.createObjectNode().put("schema", canonical));
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                // Percent-decoding only: in a path, '+' is a plus sign, not a space.
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static boolean acceptedContentType(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase();
        return ACCEPTED_CONTENT_TYPES.contains(mediaType);
    }

    private static int defaultErrorCode(int status) {
        return switch (status) {
            case 422 -> 42201;
            case 500 -> 50001;
            case 503 -> 50003;
            default -> status;
        };
    }

    private static String defaultMessage(int status) {
        return switch (status) {
            case 422 -> "Either the input schema or one of its references is invalid";
            case 500 -> "Error in the backend data store";
            case 503 -> "Error while forwarding the request to the primary";
            case 429 -> "Too Many Requests";
            default -> "HTTP " + status;
        };
    }

    private record Answer(int status, ObjectNode body) {
        static Answer ok(ObjectNode body) {
            return new Answer(200, body);
        }

        static Answer error(int status, int errorCode, String message) {
            ObjectNode body = new ObjectMapper().createObjectNode();
            body.put("error_code", errorCode);
            body.put("message", message);
            return new Answer(status, body);
        }
    }
}
