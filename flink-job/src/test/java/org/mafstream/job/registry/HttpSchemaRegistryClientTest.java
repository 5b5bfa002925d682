package org.mafstream.job.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mafstream.job.registry.SampleSchemas.V1;

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

/**
 * The client against the independent stub: the shared contract ({@link HttpRegistryClientContract})
 * with request counting, and what only a stub can provoke (faults, delays, authentication, failover).
 */
class HttpSchemaRegistryClientTest extends HttpRegistryClientContract {
    private ConfluentRegistryStub stub;

    @BeforeEach
    void startStub() {
        stub = new ConfluentRegistryStub().start();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Override
    String registryUrl() {
        return stub.url();
    }

    @Override
    int requestCount() {
        return stub.requestCount();
    }

    @Test
    void callsTheDocumentedPaths() {
        HttpSchemaRegistryClient client = client();

        int v1 = client.register(SUBJECT, V1);
        client.getById(v1);
        client.getId(SUBJECT, V1);

        assertThat(stub.requestLog()).containsExactly(
                "POST /subjects/sample-value/versions",
                "GET /schemas/ids/" + v1,
                "POST /subjects/sample-value");
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
