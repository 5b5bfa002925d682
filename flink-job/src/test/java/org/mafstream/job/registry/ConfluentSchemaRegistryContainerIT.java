package org.mafstream.job.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mafstream.job.registry.SampleSchemas.V1;
import static org.mafstream.job.registry.SampleSchemas.V2;
import static org.mafstream.job.registry.SampleSchemas.V3;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.ConfluentKafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link HttpSchemaRegistryClient} against the real Confluent Schema Registry, which keeps its
 * schemas in a Kafka topic of a real broker. Skipped where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentSchemaRegistryContainerIT {
    private static final String CONFLUENT_VERSION = "7.7.1";
    private static final String KAFKA_ALIAS = "kafka";
    private static final String KAFKA_INTERNAL = KAFKA_ALIAS + ":19092";
    private static final int REGISTRY_PORT = 8081;

    private static final Network NETWORK = Network.newNetwork();

    @Container
    private static final ConfluentKafkaContainer KAFKA =
            new ConfluentKafkaContainer(DockerImageName.parse("confluentinc/cp-kafka:" + CONFLUENT_VERSION))
                    .withNetwork(NETWORK)
                    .withListener(KAFKA_INTERNAL);

    @Container
    private static final GenericContainer<?> REGISTRY =
            new GenericContainer<>(DockerImageName.parse("confluentinc/cp-schema-registry:" + CONFLUENT_VERSION))
                    .withNetwork(NETWORK)
                    .withNetworkAliases("schema-registry")
                    .withExposedPorts(REGISTRY_PORT)
                    .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                    .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
                    .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + KAFKA_INTERNAL)
                    .dependsOn(KAFKA)
                    .waitingFor(Wait.forHttp("/subjects").forStatusCode(200)
                            .withStartupTimeout(Duration.ofMinutes(3)));

    private static HttpSchemaRegistryClient client() {
        String url = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(REGISTRY_PORT);
        return new HttpSchemaRegistryClient(
                RegistrySettings.of(url).withRetries(2, Duration.ofMillis(100)));
    }

    private static String freshSubject() {
        return "it-" + UUID.randomUUID() + "-value";
    }

    @Test
    void registerGetByIdAndGetIdRoundTrip() {
        HttpSchemaRegistryClient client = client();
        String subject = freshSubject();

        int v1 = client.register(subject, V1);
        int v2 = client.register(subject, V2);

        assertThat(client.register(subject, V1)).isEqualTo(v1);
        assertThat(v2).isNotEqualTo(v1);
        assertThat(client.getById(v1)).isEqualTo(V1);
        assertThat(client.getById(v2)).isEqualTo(V2);
        assertThat(client.getId(subject, V1)).isEqualTo(v1);
        assertThat(client.getId(subject, V2)).isEqualTo(v2);
        // Ids are global: the same schema under another subject keeps its id.
        assertThat(client.register(freshSubject(), V1)).isEqualTo(v1);
    }

    @Test
    void incompatibleRegistrationIs409() {
        HttpSchemaRegistryClient client = client();
        String subject = freshSubject();
        client.register(subject, V2);

        assertThatThrownBy(() -> client.register(subject, V3))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                });
    }

    @Test
    void notFoundCodesMatchTheStubs() {
        HttpSchemaRegistryClient client = client();
        String subject = freshSubject();

        assertThatThrownBy(() -> client.getById(Integer.MAX_VALUE))
                .isInstanceOfSatisfying(SchemaNotFoundException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> client.getId(subject, V1))
                .isInstanceOfSatisfying(SchemaNotFoundException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40401));

        client.register(subject, V1);
        assertThatThrownBy(() -> client.getId(subject, V2))
                .isInstanceOfSatisfying(SchemaNotFoundException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40403));
    }
}
