package org.mafstream.job.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mafstream.job.registry.SampleSchemas.OTHER;
import static org.mafstream.job.registry.SampleSchemas.V1;
import static org.mafstream.job.registry.SampleSchemas.V2;
import static org.mafstream.job.registry.SampleSchemas.V3;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpSchemaRegistryClientTest {
    private static final String SUBJECT = "sample-value";
    private static final Duration BACKOFF = Duration.ofMillis(5);

    private ConfluentRegistryStub stub;

    @BeforeEach
    void startStub() {
        stub = new ConfluentRegistryStub().start();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    private RegistrySettings settings(String urls, int retries) {
        return RegistrySettings.of(urls).withRetries(retries, BACKOFF).withRequestTimeout(Duration.ofSeconds(5));
    }

    private HttpSchemaRegistryClient client() {
        return new HttpSchemaRegistryClient(settings(stub.url(), 3));
    }

    @Test
    void aBare404FromAWrongUrlIsNotMistakenForAnUnknownSchema() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings(stub.url() + "/not-the-registry", 0));

        assertThatThrownBy(() -> client.getById(1))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("is this a schema registry URL?")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(404));
    }

    @Test
    void registerGetByIdAndGetIdRoundTrip() {
        HttpSchemaRegistryClient client = client();

        int v1 = client.register(SUBJECT, V1);
        int v2 = client.register(SUBJECT, V2);

        assertThat(v2).isNotEqualTo(v1);
        assertThat(client.getById(v1)).isEqualTo(V1);
        assertThat(client.getById(v2)).isEqualTo(V2);
        assertThat(client.getId(SUBJECT, V1)).isEqualTo(v1);
        assertThat(client.getId(SUBJECT, V2)).isEqualTo(v2);
        assertThat(stub.requestLog()).containsExactly(
                "POST /subjects/sample-value/versions",
                "POST /subjects/sample-value/versions",
                "GET /schemas/ids/" + v1,
                "GET /schemas/ids/" + v2,
                "POST /subjects/sample-value",
                "POST /subjects/sample-value");
    }

    @Test
    void registerIsIdempotentAndIdsAreGlobalAcrossSubjects() {
        HttpSchemaRegistryClient client = client();

        int first = client.register(SUBJECT, V1);
        int again = client.register(SUBJECT, V1);
        int underOtherSubject = client.register("other-value", V1);
        int other = client.register("other-value-2", OTHER);

        assertThat(again).isEqualTo(first);
        assertThat(underOtherSubject).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(client.getId("other-value", V1)).isEqualTo(first);
    }

    @Test
    void subjectIsPercentEncodedInThePath() {
        HttpSchemaRegistryClient client = client();
        String subject = "orders v2+x-\u00e9-value";

        int id = client.register(subject, V1);

        assertThat(client.getId(subject, V1)).isEqualTo(id);
        assertThat(stub.requestLog()).containsExactly(
                "POST /subjects/orders%20v2%2Bx-%C3%A9-value/versions",
                "POST /subjects/orders%20v2%2Bx-%C3%A9-value");
    }

    @Test
    void unknownIdIsSchemaNotFound40403AndNotRetried() {
        HttpSchemaRegistryClient client = client();

        assertThatThrownBy(() -> client.getById(4242))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                })
                .hasMessageContaining("Schema 4242 not found");
        assertThat(stub.requestCount()).isEqualTo(1);
    }

    @Test
    void unknownSubjectIsSchemaNotFound40401() {
        HttpSchemaRegistryClient client = client();

        assertThatThrownBy(() -> client.getId("nobody-value", V1))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40401);
                });
        assertThat(stub.requestCount()).isEqualTo(1);
    }

    @Test
    void schemaNotUnderSubjectIsSchemaNotFound40403() {
        HttpSchemaRegistryClient client = client();
        client.register(SUBJECT, V1);
        client.register("other-value", OTHER);

        assertThatThrownBy(() -> client.getId(SUBJECT, OTHER))
                .isInstanceOfSatisfying(SchemaNotFoundException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40403));
    }

    @Test
    void incompatibleSchemaIs409AndNotRetried() {
        HttpSchemaRegistryClient client = client();
        client.register(SUBJECT, V1);
        client.register(SUBJECT, V2);
        stub.resetRequestCount();

        assertThatThrownBy(() -> client.register(SUBJECT, V3))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageContaining("incompatible");
        assertThat(stub.requestCount()).isEqualTo(1);
        // The failed registration left nothing behind.
        assertThatThrownBy(() -> client.getId(SUBJECT, V3)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void invalidSchemaIs422AndNotRetried() {
        HttpSchemaRegistryClient client = client();
        // The client only sends schemas Avro could parse, so the stub is told to answer 422.
        stub.failNext(1, 422);

        assertThatThrownBy(() -> client.register(SUBJECT, V1))
                .isInstanceOfSatisfying(InvalidSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42201);
                });
        assertThat(stub.requestCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 429})
    void transientAnswersAreRetriedUntilSuccess(int status) {
        HttpSchemaRegistryClient client = client();
        stub.failNext(2, status);

        int id = client.register(SUBJECT, V1);

        assertThat(id).isPositive();
        assertThat(stub.requestCount()).isEqualTo(3);
        assertThat(client.getById(id)).isEqualTo(V1);
    }

    @Test
    void unavailableAfterMaxRetriesPlusOneRequests() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings(stub.url(), 3));
        stub.failAlways(503);

        assertThatThrownBy(() -> client.getById(1))
                .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.errorCode()).isEqualTo(-1);
                })
                .hasMessageContaining("failed 4 times");
        assertThat(stub.requestCount()).isEqualTo(4);
    }

    @Test
    void noRetriesMeansOneRequest() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings(stub.url(), 0));
        stub.failAlways(503);

        assertThatThrownBy(() -> client.getById(1)).isInstanceOf(RegistryUnavailableException.class);
        assertThat(stub.requestCount()).isEqualTo(1);
    }

    @Test
    void connectionRefusedIsUnavailable() throws IOException {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings(deadUrl(), 2));

        assertThatThrownBy(() -> client.register(SUBJECT, V1))
                .isInstanceOfSatisfying(RegistryUnavailableException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(-1))
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void slowServerBeyondTheRequestTimeoutIsUnavailable() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(
                settings(stub.url(), 1).withRequestTimeout(Duration.ofMillis(200)));
        stub.delayResponses(Duration.ofSeconds(3));

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.getById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(stub.requestCount()).isEqualTo(2);
    }

    @Test
    void missingOrWrongCredentialsAreAuthFailuresAndNotRetried() {
        stub.requireBasicAuth("user", "pw");
        HttpSchemaRegistryClient anonymous = client();
        HttpSchemaRegistryClient wrong = new HttpSchemaRegistryClient(settings(stub.url(), 3).withBasicAuth("user:nope"));

        assertThatThrownBy(() -> anonymous.register(SUBJECT, V1))
                .isInstanceOfSatisfying(RegistryAuthException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.errorCode()).isEqualTo(401);
                });
        assertThat(stub.requestCount()).isEqualTo(1);

        assertThatThrownBy(() -> wrong.getById(1)).isInstanceOf(RegistryAuthException.class);
        assertThat(stub.requestCount()).isEqualTo(2);
    }

    @Test
    void basicAuthCredentialsAreSentOnEveryRequest() {
        stub.requireBasicAuth("user", "pw");
        RegistrySettings settings = settings(stub.url(), 3).withBasicAuth("user:pw");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);

        int id = client.register(SUBJECT, V1);

        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(client.getId(SUBJECT, V1)).isEqualTo(id);
        assertThat(stub.authorizationHeaders()).hasSize(3).containsOnly("Basic dXNlcjpwdw==");
        assertThat(settings.toString()).doesNotContain("pw").contains("basicAuth=true");
    }

    @Test
    void failsOverToTheNextUrlWhenTheFirstIsDead() throws IOException {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings(deadUrl() + "," + stub.url(), 1));

        int id = client.register(SUBJECT, V1);

        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(stub.requestCount()).isEqualTo(2);
    }

    @Test
    void failsOverToTheNextUrlWhenTheFirstAnswers503() {
        try (ConfluentRegistryStub broken = new ConfluentRegistryStub().start()) {
            broken.failAlways(503);
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(
                    settings(broken.url() + ", " + stub.url() + "/", 1));

            int id = client.register(SUBJECT, V1);

            assertThat(id).isPositive();
            assertThat(broken.requestCount()).isEqualTo(1);
            assertThat(stub.requestLog()).containsExactly("POST /subjects/sample-value/versions");
        }
    }

    @Test
    void rejectsSettingsWithoutAnHttpUrl() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(RegistrySettings.of(" , ")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(RegistrySettings.of("ftp://registry:21")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A URL on which nothing listens: a port that was free a moment ago. */
    private static String deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
