package org.mafstream.job.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mafstream.job.registry.SampleSchemas.OTHER;
import static org.mafstream.job.registry.SampleSchemas.V1;
import static org.mafstream.job.registry.SampleSchemas.V2;
import static org.mafstream.job.registry.SampleSchemas.V3;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What {@link HttpSchemaRegistryClient} must get from any Confluent-compatible registry: run
 * against the independent stub ({@link HttpSchemaRegistryClientTest}) and against the project's
 * own local registry server ({@code HttpSchemaRegistryClientOnLocalServerTest}). Each subclass
 * gives a fresh, empty registry per test.
 */
abstract class HttpRegistryClientContract {
    static final String SUBJECT = "sample-value";
    static final Duration BACKOFF = Duration.ofMillis(5);

    /** The base URL of this test's registry. */
    abstract String registryUrl();

    /** Requests the registry has received so far, or -1 where it does not count them. */
    int requestCount() {
        return -1;
    }

    RegistrySettings settings(String urls, int retries) {
        return RegistrySettings.of(urls).withRetries(retries, BACKOFF).withRequestTimeout(Duration.ofSeconds(5));
    }

    HttpSchemaRegistryClient client() {
        return new HttpSchemaRegistryClient(settings(registryUrl(), 3));
    }

    /** A client error must not be retried: one request, where the registry counts them. */
    private void assertOneRequestSince(int before) {
        if (before >= 0) {
            assertThat(requestCount()).as("requests (an error answer is not retried)").isEqualTo(before + 1);
        }
    }

    @Test
    void aBare404FromAWrongUrlIsNotMistakenForAnUnknownSchema() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings(registryUrl() + "/not-the-registry", 0));

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
    void subjectNamesNeedingPercentEncodingRoundTrip() {
        HttpSchemaRegistryClient client = client();
        String subject = "orders v2+x-\u00e9-value";

        int id = client.register(subject, V1);

        assertThat(client.getId(subject, V1)).isEqualTo(id);
        assertThatThrownBy(() -> client.getId("orders v2 x-\u00e9-value", V1))
                .as("'+' is not read as a space").isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void unknownIdIsSchemaNotFound40403AndNotRetried() {
        HttpSchemaRegistryClient client = client();
        int before = requestCount();

        assertThatThrownBy(() -> client.getById(4242))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                })
                .hasMessageContaining("Schema 4242 not found");
        assertOneRequestSince(before);
    }

    @Test
    void unknownSubjectIsSchemaNotFound40401() {
        HttpSchemaRegistryClient client = client();
        int before = requestCount();

        assertThatThrownBy(() -> client.getId("nobody-value", V1))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40401);
                });
        assertOneRequestSince(before);
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
        int before = requestCount();

        assertThatThrownBy(() -> client.register(SUBJECT, V3))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageContaining("incompatible");
        assertOneRequestSince(before);
        // The failed registration left nothing behind.
        assertThatThrownBy(() -> client.getId(SUBJECT, V3)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void schemasComeBackThroughTheCachingClientAsTheJobUsesThem() {
        try (SchemaRegistryClient cached = SchemaRegistries.connect(settings(registryUrl(), 3))) {
            int id = cached.register(SUBJECT, V1);

            assertThat(cached.getById(id)).isEqualTo(V1);
            assertThat(cached.getId(SUBJECT, V1)).isEqualTo(id);
        }
    }
}
