package org.mafstream.job.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stub itself, spoken to in raw HTTP: the answers the registry client cannot provoke (an
 * unparseable schema) and the protocol details the client tests take for granted.
 */
class ConfluentRegistryStubTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ConfluentRegistryStub stub;

    @BeforeEach
    void startStub() {
        stub = new ConfluentRegistryStub().start();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void registersLooksUpAndServesSchemas() throws Exception {
        String body = schemaBody(SampleSchemas.V1.toString());

        HttpResponse<String> registered = post("/subjects/s-value/versions", body, ConfluentRegistryStub.CONTENT_TYPE);
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(registered.headers().firstValue("Content-Type")).hasValue(ConfluentRegistryStub.CONTENT_TYPE);
        assertThat(JSON.readTree(registered.body()).get("id").asInt()).isEqualTo(1);

        JsonNode lookedUp = JSON.readTree(post("/subjects/s-value", body, "application/json").body());
        assertThat(lookedUp.get("subject").asText()).isEqualTo("s-value");
        assertThat(lookedUp.get("id").asInt()).isEqualTo(1);
        assertThat(lookedUp.get("version").asInt()).isEqualTo(1);
        assertThat(lookedUp.get("schema").asText()).isEqualTo(SampleSchemas.V1.toString());

        HttpResponse<String> byId = get("/schemas/ids/1");
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byId.body()).get("schema").asText()).isEqualTo(SampleSchemas.V1.toString());
    }

    @Test
    void versionNumbersCountPerSubject() throws Exception {
        post("/subjects/a-value/versions", schemaBody(SampleSchemas.OTHER.toString()), ConfluentRegistryStub.CONTENT_TYPE);
        post("/subjects/s-value/versions", schemaBody(SampleSchemas.V1.toString()), ConfluentRegistryStub.CONTENT_TYPE);
        post("/subjects/s-value/versions", schemaBody(SampleSchemas.V2.toString()), ConfluentRegistryStub.CONTENT_TYPE);

        JsonNode lookedUp = JSON.readTree(post("/subjects/s-value",
                schemaBody(SampleSchemas.V2.toString()), ConfluentRegistryStub.CONTENT_TYPE).body());
        assertThat(lookedUp.get("id").asInt()).isEqualTo(3);
        assertThat(lookedUp.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void unparseableSchemaIs42201() throws Exception {
        HttpResponse<String> answer = post("/subjects/s-value/versions",
                schemaBody("{\"type\":\"record\",\"name\":\"Broken\"}"), ConfluentRegistryStub.CONTENT_TYPE);

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(ConfluentRegistryStub.CONTENT_TYPE);
        assertThat(JSON.readTree(answer.body()).get("error_code").asInt()).isEqualTo(42201);
    }

    @Test
    void errorsCarryConfluentErrorBodies() throws Exception {
        assertError(get("/schemas/ids/7"), 404, 40403);
        assertError(post("/subjects/nobody", schemaBody(SampleSchemas.V1.toString()), ConfluentRegistryStub.CONTENT_TYPE),
                404, 40401);
        assertError(get("/no/such/path"), 404, 404);
        assertError(get("/subjects/s-value/versions"), 405, 405);
        assertError(post("/subjects/s-value/versions", schemaBody(SampleSchemas.V1.toString()), "text/plain"), 415, 415);
    }

    @Test
    void faultsAreInjectedAndCounted() throws Exception {
        stub.failNext(1, 500);
        assertError(get("/schemas/ids/1"), 500, 50001);
        assertError(get("/schemas/ids/1"), 404, 40403);

        stub.requireBasicAuth("u", "p");
        HttpResponse<String> unauthorized = get("/schemas/ids/1");
        assertError(unauthorized, 401, 401);
        assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).isPresent();

        assertThat(stub.requestCount()).isEqualTo(3);
        assertThat(stub.requestLog()).containsOnly("GET /schemas/ids/1");
    }

    private static void assertError(HttpResponse<String> answer, int status, int errorCode) throws IOException {
        assertThat(answer.statusCode()).isEqualTo(status);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(body.get("message").asText()).isNotEmpty();
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stub.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stub.url() + path))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
