package org.mafstream.job.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Confluent Schema Registry REST client on the JDK's {@link HttpClient}. Retries 5xx, 429 and
 * connection failures with capped exponential backoff (each delay random in [cap/2, cap]),
 * moving to the next base URL on each retry; maps error answers to typed exceptions. No caching
 * here: see {@link CachingSchemaRegistryClient}.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private final RegistrySettings settings;
    private final List<URI> baseUris;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final String authorization;

    public HttpSchemaRegistryClient(RegistrySettings settings) {
        this.settings = settings;
        this.baseUris = settings.baseUris();
        if (baseUris.isEmpty()) {
            throw new IllegalArgumentException("no schema registry URL in: " + settings.urls());
        }
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.authorization = settings.basicAuthUserInfo() == null
                ? null
                : "Basic " + Base64.getEncoder().encodeToString(
                        settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int register(String subject, Schema schema) {
        return idOf(call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema)));
    }

    @Override
    public Schema getById(int id) {
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException("Schema " + id + " is " + type + ", not AVRO", 200, -1);
        }
        try {
            return new Schema.Parser().parse(answer.path("schema").asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("Schema " + id + " does not parse: " + e.getMessage(), 200, -1, e);
        }
    }

    @Override
    public int getId(String subject, Schema schema) {
        return idOf(call("POST", "/subjects/" + encode(subject), schemaBody(schema)));
    }

    private static int idOf(JsonNode answer) {
        JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException("registry answer has no schema id: " + answer, 200, -1);
        }
        return id.asInt();
    }

    private String schemaBody(Schema schema) {
        ObjectNode body = json.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private JsonNode call(String method, String path, String body) {
        Exception lastFailure = null;
        int lastStatus = -1;
        for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
            if (attempt > 0) {
                sleepBeforeRetry(attempt);
            }
            URI uri = URI.create(baseUris.get(attempt % baseUris.size()) + path);
            try {
                HttpResponse<String> response = http.send(request(method, uri, body),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return parseAnswer(method, uri, response.body());
                }
                if (status / 100 != 5 && status != 429) {
                    throw errorFor(method, uri, status, response.body());
                }
                lastStatus = status;
                lastFailure = new IOException("HTTP " + status + ": " + response.body());
            } catch (IOException e) {
                lastStatus = -1;
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted calling " + method + " " + uri, -1, e);
            }
        }
        throw new RegistryUnavailableException(
                "schema registry unavailable: " + method + " " + path + " failed "
                        + (settings.maxRetries() + 1) + " times, last: " + lastFailure,
                lastStatus, lastFailure);
    }

    private JsonNode parseAnswer(String method, URI uri, String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException(method + " " + uri + " answered 2xx without JSON: " + e.getMessage(), 200, -1, e);
        }
    }

    private HttpRequest request(String method, URI uri, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Accept", ACCEPT)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    private SchemaRegistryException errorFor(String method, URI uri, int status, String body) {
        int code = -1;
        String message = body;
        try {
            JsonNode error = json.readTree(body);
            code = error.path("error_code").asInt(-1);
            message = error.path("message").asText(body);
        } catch (IOException | RuntimeException notJson) {
            // keep the raw body as the message
        }
        String text = method + " " + uri + " -> " + status + (code > 0 ? " (" + code + ")" : "") + ": " + message;
        return switch (status) {
            // Only the registry's own codes mean "no such schema/subject": a bare 404 means a
            // wrong URL, which must fail the job rather than dead-letter every record.
            case 404 -> code >= 40400 && code < 40500
                    ? new SchemaNotFoundException(text, code)
                    : new SchemaRegistryException(text + " (is this a schema registry URL?)", status, code);
            case 409 -> new IncompatibleSchemaException(text, code);
            case 422 -> new InvalidSchemaException(text, code);
            case 401, 403 -> new RegistryAuthException(text, status, code);
            default -> new SchemaRegistryException(text, status, code);
        };
    }

    private void sleepBeforeRetry(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MILLIS, settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
        long delay = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while backing off", -1, e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
