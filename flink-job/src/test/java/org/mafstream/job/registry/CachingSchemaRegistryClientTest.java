package org.mafstream.job.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mafstream.job.registry.SampleSchemas.OTHER;
import static org.mafstream.job.registry.SampleSchemas.V1;
import static org.mafstream.job.registry.SampleSchemas.V2;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryClientTest {
    private static final String SUBJECT = "sample-value";

    private ConfluentRegistryStub stub;
    private SchemaRegistryClient client;

    @BeforeEach
    void setUp() {
        stub = new ConfluentRegistryStub().start();
        client = new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(settings(0)), 100);
    }

    @AfterEach
    void tearDown() {
        client.close();
        stub.close();
    }

    private RegistrySettings settings(int retries) {
        return RegistrySettings.of(stub.url()).withRetries(retries, Duration.ofMillis(5));
    }

    @Test
    void repeatedRegisterHitsTheServerOnce() {
        int id = client.register(SUBJECT, V1);

        assertThat(client.register(SUBJECT, V1)).isEqualTo(id);
        assertThat(client.register(SUBJECT, V1)).isEqualTo(id);
        assertThat(stub.requestCount()).isEqualTo(1);
    }

    @Test
    void repeatedGetByIdHitsTheServerOnce() {
        int id = registerBehindTheCache(SUBJECT, V1);

        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(stub.requestLog()).containsExactly("GET /schemas/ids/" + id);
    }

    @Test
    void repeatedGetIdHitsTheServerOnce() {
        int id = registerBehindTheCache(SUBJECT, V1);

        assertThat(client.getId(SUBJECT, V1)).isEqualTo(id);
        assertThat(client.getId(SUBJECT, V1)).isEqualTo(id);
        assertThat(client.getId(SUBJECT, V1)).isEqualTo(id);
        assertThat(stub.requestLog()).containsExactly("POST /subjects/sample-value");
    }

    @Test
    void getIdAfterRegisterIsAnsweredFromTheCache() {
        int id = client.register(SUBJECT, V1);

        assertThat(client.getId(SUBJECT, V1)).isEqualTo(id);
        assertThat(stub.requestCount()).isEqualTo(1);
    }

    @Test
    void entriesAreKeyedBySubjectAndSchema() {
        int v1 = client.register(SUBJECT, V1);
        int v2 = client.register(SUBJECT, V2);
        int v1Elsewhere = client.register("other-value", V1);

        assertThat(v2).isNotEqualTo(v1);
        assertThat(v1Elsewhere).isEqualTo(v1);
        assertThat(stub.requestCount()).isEqualTo(3);
        assertThatThrownBy(() -> client.getId("other-value", V2)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void notFoundIsNotCached() {
        assertThatThrownBy(() -> client.getId(SUBJECT, V1))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> client.getById(1))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));

        int id = registerBehindTheCache(SUBJECT, V1);

        assertThat(client.getId(SUBJECT, V1)).isEqualTo(id);
        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(stub.requestLog()).containsExactly("POST /subjects/sample-value", "GET /schemas/ids/" + id);
    }

    @Test
    void outagesAreNotCached() {
        stub.failNext(1, 503);
        assertThatThrownBy(() -> client.register(SUBJECT, V1)).isInstanceOf(RegistryUnavailableException.class);

        int id = client.register(SUBJECT, V1);

        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(stub.requestCount()).isEqualTo(3);
    }

    @Test
    void incompatibleIsNotCached() {
        client.register(SUBJECT, OTHER);
        assertThatThrownBy(() -> client.register(SUBJECT, V1)).isInstanceOf(IncompatibleSchemaException.class);
        assertThatThrownBy(() -> client.register(SUBJECT, V1)).isInstanceOf(IncompatibleSchemaException.class);

        assertThat(stub.requestCount()).isEqualTo(3);
    }

    @Test
    void connectOnAnHttpUrlGivesACachingClient() {
        try (SchemaRegistryClient connected = SchemaRegistries.connect(settings(0))) {
            assertThat(connected).isInstanceOf(CachingSchemaRegistryClient.class);
            int id = connected.register(SUBJECT, V1);
            connected.getById(id);
            connected.getById(id);
            connected.getId(SUBJECT, V1);
            assertThat(stub.requestCount()).isEqualTo(2);
        }
    }

    /** Registers straight on the server, so the cache under test has not seen it, and resets the count. */
    private int registerBehindTheCache(String subject, org.apache.avro.Schema schema) {
        int id = new HttpSchemaRegistryClient(settings(0)).register(subject, schema);
        stub.resetRequestCount();
        return id;
    }
}
