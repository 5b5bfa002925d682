package org.mafstream.job.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mafstream.job.registry.InMemorySchemaRegistry;

/**
 * The local registry server's REST contract, spoken in raw HTTP as Confluent documents it: every
 * endpoint, every error code, the content type, the bind address and the port being freed.
 */
class RegistryHttpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final String V1 = """
            {"type":"record","name":"Sample","namespace":"org.mafstream.test",
             "fields":[{"name":"name","type":"string"}]}""";
    /** V1 plus an optional field: BACKWARD compatible with V1. */
    private static final String V2 = """
            {"type":"record","name":"Sample","namespace":"org.mafstream.test",
             "fields":[{"name":"name","type":"string"},{"name":"note","type":["null","string"],"default":null}]}""";
    /** V2 plus a required field without a default: not BACKWARD compatible with V2 (or V1). */
    private static final String V3 = """
            {"type":"record","name":"Sample","namespace":"org.mafstream.test",
             "fields":[{"name":"name","type":"string"},{"name":"note","type":["null","string"],"default":null},
                       {"name":"count","type":"int"}]}""";
    private static final String OTHER = """
            {"type":"record","name":"Other","fields":[{"name":"at","type":"long"}]}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private RegistryHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = RegistryHttpServer.start(InMemorySchemaRegistry.create(), 0);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    // ---- register, schema by id, look-up ----

    @Test
    void registerAnswersAGlobalIdAndTheSameIdForTheSameSchema() throws Exception {
        HttpResponse<String> first = register("s-value", V1);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue(CONTENT_TYPE);
        int id = json(first).get("id").asInt();

        assertThat(json(register("s-value", V1)).get("id").asInt()).as("same schema again").isEqualTo(id);
        assertThat(json(register("t-value", V1)).get("id").asInt()).as("ids are global").isEqualTo(id);
        assertThat(json(register("u-value", OTHER)).get("id").asInt()).isNotEqualTo(id);
        assertThat(json(get("/subjects/s-value/versions")).toString()).as("no new version").isEqualTo("[1]");
    }

    @Test
    void schemaByIdAnswersTheSchemaOr40403() throws Exception {
        int id = json(register("s-value", V1)).get("id").asInt();

        HttpResponse<String> byId = get("/schemas/ids/" + id);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(byId.headers().firstValue("Content-Type")).hasValue(CONTENT_TYPE);
        assertThat(schemaIn(json(byId))).isEqualTo(parse(V1));

        assertError(get("/schemas/ids/" + (id + 1)), 404, 40403);
        assertError(get("/schemas/ids/not-a-number"), 404, 404);
    }

    @Test
    void lookUpAnswersSubjectVersionIdAndSchema() throws Exception {
        register("a-value", OTHER);
        register("s-value", V1);
        int v2 = json(register("s-value", V2)).get("id").asInt();

        JsonNode found = json(post("/subjects/s-value", V2));
        assertThat(found.get("subject").asText()).isEqualTo("s-value");
        assertThat(found.get("version").asInt()).as("versions count per subject").isEqualTo(2);
        assertThat(found.get("id").asInt()).isEqualTo(v2).isEqualTo(3);
        assertThat(schemaIn(found)).isEqualTo(parse(V2));

        assertError(post("/subjects/nobody-value", V1), 404, 40401);
        assertError(post("/subjects/s-value", OTHER), 404, 40403);
    }

    // ---- subjects and versions ----

    @Test
    void subjectsAreListedSortedAndDecoded() throws Exception {
        assertThat(json(get("/subjects")).toString()).isEqualTo("[]");
        register("b-value", V1);
        register("a-value", OTHER);
        String odd = "orders/eu v2+x-\u00e9";
        register(odd, V1);

        assertThat(JSON.convertValue(json(get("/subjects")), List.class)).containsExactly("a-value", "b-value", odd);
        assertThat(json(get("/subjects/" + encode(odd) + "/versions")).toString()).isEqualTo("[1]");
    }

    @Test
    void versionsAreListedAndEachAnswersItsSchema() throws Exception {
        int v1 = json(register("s-value", V1)).get("id").asInt();
        int v2 = json(register("s-value", V2)).get("id").asInt();

        assertThat(json(get("/subjects/s-value/versions")).toString()).isEqualTo("[1,2]");
        assertVersion(get("/subjects/s-value/versions/1"), 1, v1, V1);
        assertVersion(get("/subjects/s-value/versions/2"), 2, v2, V2);
        assertVersion(get("/subjects/s-value/versions/latest"), 2, v2, V2);
        assertVersion(get("/subjects/s-value/versions/-1"), 2, v2, V2);

        assertError(get("/subjects/nobody-value/versions"), 404, 40401);
        assertError(get("/subjects/nobody-value/versions/latest"), 404, 40401);
        assertError(get("/subjects/s-value/versions/3"), 404, 40402);
        assertError(get("/subjects/s-value/versions/0"), 422, 42202);
        assertError(get("/subjects/s-value/versions/two"), 422, 42202);
        assertError(get("/subjects/s-value/versions/99999999999"), 422, 42202);
    }

    // ---- compatibility ----

    @Test
    void compatibilityIsBackwardAgainstTheNamedVersion() throws Exception {
        register("s-value", V1);

        assertThat(json(post("/compatibility/subjects/s-value/versions/latest", V2)).get("is_compatible").asBoolean())
                .isTrue();
        register("s-value", V2);
        // V2 could read what V3 writes (FORWARD), V3 cannot read what V2 wrote: BACKWARD says no.
        JsonNode answer = json(post("/compatibility/subjects/s-value/versions/latest", V3));
        assertThat(answer.get("is_compatible").asBoolean()).isFalse();
        assertThat(answer.has("messages")).as("messages only when verbose").isFalse();
        // Against the version named, not the latest: V1 reads what V2 wrote (it skips "note").
        assertThat(json(post("/compatibility/subjects/s-value/versions/2", V1)).get("is_compatible").asBoolean())
                .isTrue();
        assertThat(json(post("/compatibility/subjects/s-value/versions/1", OTHER)).get("is_compatible").asBoolean())
                .isFalse();

        JsonNode verbose = json(post("/compatibility/subjects/s-value/versions/latest?verbose=true", V3));
        assertThat(verbose.get("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.get("messages").toString()).contains("count");
    }

    @Test
    void compatibilityErrors() throws Exception {
        register("s-value", V1);

        assertError(post("/compatibility/subjects/nobody-value/versions/latest", V1), 404, 40401);
        assertError(post("/compatibility/subjects/s-value/versions/2", V1), 404, 40402);
        assertError(post("/compatibility/subjects/s-value/versions/first", V1), 422, 42202);
        assertError(post("/compatibility/subjects/s-value/versions/latest", "{\"type\":\"record\"}"), 422, 42201);
        assertError(get("/compatibility/subjects/s-value/versions/latest"), 405, 405);
    }

    // ---- registration errors ----

    @Test
    void incompatibleRegistrationIs409AndLeavesNothingBehind() throws Exception {
        register("s-value", V1);
        register("s-value", V2);

        HttpResponse<String> refused = register("s-value", V3);
        assertError(refused, 409, 409);
        assertThat(json(refused).get("message").asText()).contains("incompatible", "s-value");
        assertThat(json(get("/subjects/s-value/versions")).toString()).isEqualTo("[1,2]");
        assertError(post("/subjects/s-value", V3), 404, 40403);
        // The rule is per subject: V3 is fine under a subject of its own.
        assertThat(register("fresh-value", V3).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidSchemasAre42201() throws Exception {
        assertError(register("s-value", "{\"type\":\"record\",\"name\":\"Broken\"}"), 422, 42201);
        assertError(register("s-value", "not json at all"), 422, 42201);
        assertError(send("POST", "/subjects/s-value/versions", "{}", CONTENT_TYPE), 422, 42201);
        assertError(send("POST", "/subjects/s-value/versions",
                JSON.createObjectNode().put("schema", "syntax = \"proto3\";").put("schemaType", "PROTOBUF").toString(),
                CONTENT_TYPE), 422, 42201);
        assertThat(json(get("/subjects")).toString()).as("nothing registered").isEqualTo("[]");
    }

    @Test
    void protocolErrorsCarryConfluentBodies() throws Exception {
        assertError(get("/no/such/path"), 404, 404);
        assertError(send("DELETE", "/subjects/s-value", null, null), 405, 405);
        assertError(send("PUT", "/subjects/s-value/versions", schemaBody(V1), CONTENT_TYPE), 405, 405);
        assertError(send("POST", "/subjects", schemaBody(V1), CONTENT_TYPE), 405, 405);
        assertError(send("POST", "/subjects/s-value/versions", schemaBody(V1), "text/plain"), 415, 415);
        assertError(send("POST", "/subjects/s-value/versions", "{\"schema\": ", CONTENT_TYPE), 400, 400);
        // The content types Confluent's REST layer accepts.
        for (String type : List.of("application/json", "application/vnd.schemaregistry+json",
                "application/octet-stream", CONTENT_TYPE + "; charset=utf-8")) {
            assertThat(send("POST", "/subjects/s-value/versions", schemaBody(V1), type).statusCode()).as(type).isEqualTo(200);
        }
    }

    @Test
    void concurrentRegistrationsOfOneSchemaGetOneId() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> ids = IntStream.range(0, 32)
                    .mapToObj(i -> pool.submit(() -> json(register("s-value", V1)).get("id").asInt()))
                    .toList();
            for (Future<Integer> id : ids) {
                assertThat(id.get()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(json(get("/subjects/s-value/versions")).toString()).isEqualTo("[1]");
    }

    // ---- binding and lifecycle ----

    @Test
    void bindsToLoopbackByDefault() {
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    @Test
    void bindsToTheAddressItIsGiven() throws Exception {
        try (RegistryHttpServer other = RegistryHttpServer.start(InMemorySchemaRegistry.create(),
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            assertThat(other.url()).isEqualTo("http://127.0.0.2:" + other.port());
            assertThat(http.send(HttpRequest.newBuilder(URI.create(other.url() + "/subjects")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + other.port() + "/subjects")).build(),
                    HttpResponse.BodyHandlers.ofString()))
                    .as("not listening on 127.0.0.1").isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void closeFreesThePort() throws Exception {
        RegistryHttpServer closing = RegistryHttpServer.start(InMemorySchemaRegistry.create(), 0);
        int port = closing.port();

        closing.close();

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    // ---- helpers ----

    private static void assertVersion(HttpResponse<String> answer, int version, int id, String schema) throws IOException {
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = json(answer);
        assertThat(body.get("subject").asText()).isEqualTo("s-value");
        assertThat(body.get("version").asInt()).isEqualTo(version);
        assertThat(body.get("id").asInt()).isEqualTo(id);
        assertThat(schemaIn(body)).isEqualTo(parse(schema));
    }

    private static void assertError(HttpResponse<String> answer, int status, int errorCode) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(CONTENT_TYPE);
        JsonNode body = json(answer);
        assertThat(body.get("error_code").asInt()).as(answer.body()).isEqualTo(errorCode);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    private static JsonNode json(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body());
    }

    private static Schema schemaIn(JsonNode answer) {
        return parse(answer.get("schema").asText());
    }

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> register(String subject, String schema) throws Exception {
        return post("/subjects/" + encode(subject) + "/versions", schema);
    }

    private HttpResponse<String> post(String path, String schema) throws Exception {
        return send("POST", path, schemaBody(schema), CONTENT_TYPE);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
