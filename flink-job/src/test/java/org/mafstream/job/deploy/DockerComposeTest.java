package org.mafstream.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mafstream.job.deploy.DeploymentFiles.argument;
import static org.mafstream.job.deploy.DeploymentFiles.strings;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mafstream.job.JobConfig;
import org.mafstream.job.MafStreamJob;

/**
 * docker-compose.yml, parsed (no Docker engine runs here): its services come up in order, and
 * every image, topic, option, class and path it names matches the build and the job.
 */
class DockerComposeTest {
    private static JsonNode services;
    private static List<String> jobArgs;

    @BeforeAll
    static void parse() throws Exception {
        services = DeploymentFiles.yaml("docker-compose.yml").get("services");
        List<String> command = strings(services.get("jobmanager").get("command"));
        assertThat(command.subList(0, 3)).containsExactly("standalone-job", "--job-classname", MafStreamJob.class.getName());
        jobArgs = command.subList(3, command.size());
    }

    @Test
    void theStackHasEveryPart() {
        assertThat(services.fieldNames()).toIterable().containsExactlyInAnyOrder(
                "kafka", "create-topics", "schema-registry", "images", "jobmanager", "taskmanager", "taskmanager-gpu", "producer");
    }

    @Test
    void imagesMatchTheBuild() {
        assertThat(services.get("kafka").get("image").asText()).isEqualTo("apache/kafka:" + DeploymentFiles.kafkaVersion());
        assertThat(services.get("create-topics").get("image").asText()).isEqualTo("apache/kafka:" + DeploymentFiles.kafkaVersion());
        assertThat(services.get("schema-registry").get("image").asText()).startsWith("confluentinc/cp-schema-registry:");
        for (String flink : List.of("jobmanager", "taskmanager", "producer")) {
            assertThat(services.get(flink).get("image").asText()).as(flink).isEqualTo("maf-stream:0.1.0");
            assertThat(services.get(flink).get("build").get("dockerfile").asText()).isEqualTo("deploy/Dockerfile");
        }
        assertThat(services.get("taskmanager-gpu").get("build").get("target").asText()).isEqualTo("gpu");
    }

    @Test
    void theJobArgumentsAreValidJobOptions() {
        JobConfig config = JobConfig.fromArgs(jobArgs.toArray(String[]::new));
        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.registry().urls()).isEqualTo("http://schema-registry:8081");
        assertThat(config.inference().runtime().bundleDir()).isEqualTo(DeploymentFiles.MODEL_IN_IMAGE);
        assertThat(config.images().fetch().allowList()).containsExactly("images");
        assertThat(strings(services.get("jobmanager").get("volumes"))).contains("./deploy/model:" + DeploymentFiles.MODEL_IN_IMAGE + ":ro");
    }

    /** A client connects to the address the broker advertises: the host needs a listener of its own. */
    @Test
    void kafkaAdvertisesAPublishedListenerOnLocalhostForToolsOnTheHost() {
        JsonNode kafka = services.get("kafka");
        JsonNode env = kafka.get("environment");
        String hostListener = List.of(env.get("KAFKA_ADVERTISED_LISTENERS").asText().split(",")).stream()
                .filter(l -> l.contains("//localhost:")).findFirst().orElseThrow();
        String name = hostListener.substring(0, hostListener.indexOf(':'));
        String port = hostListener.substring(hostListener.lastIndexOf(':') + 1);
        assertThat(strings(kafka.get("ports"))).contains(port + ":" + port);
        assertThat(env.get("KAFKA_LISTENERS").asText()).contains(name + "://:" + port);
        assertThat(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText()).contains(name + ":PLAINTEXT");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS").asText()).contains("PLAINTEXT://kafka:9092");
        assertThat(env.get("KAFKA_INTER_BROKER_LISTENER_NAME").asText()).isEqualTo("PLAINTEXT");
    }

    @Test
    void theHeaderAndTheReadmeAssembleTheModelTheSameWay() throws Exception {
        String assemble = "bin/maf-stream assemble --out deploy/model";
        assertThat(Files.readString(DeploymentFiles.repo().resolve("docker-compose.yml"))).contains("#   " + assemble + " ");
        assertThat(Files.readString(DeploymentFiles.repo().resolve("README.md"))).contains("\n" + assemble + " ");
    }

    @Test
    void topicsAreCreatedForTheJobAndTheProducerWritesItsInput() {
        String create = services.get("create-topics").get("command").get(0).asText();
        JobConfig config = JobConfig.fromArgs(jobArgs.toArray(String[]::new));
        assertThat(create).contains("for topic in " + String.join(" ", config.inputTopic(), config.outputTopic(), config.deadLetterTopic()) + ";");
        List<String> producer = strings(services.get("producer").get("command"));
        assertThat(argument(producer, "--topic")).isEqualTo(config.inputTopic());
        assertThat(argument(producer, "--bootstrap-servers")).isEqualTo(config.bootstrapServers());
        assertThat(argument(producer, "--schema-registry-url")).isEqualTo(config.registry().urls());
    }

    @Test
    void theProducerRunsTheProjectsProduceToolFromTheJobJar() throws Exception {
        List<String> entrypoint = strings(services.get("producer").get("entrypoint"));
        assertThat(entrypoint.get(2)).startsWith(DeploymentFiles.JOB_JAR_IN_IMAGE + ":");
        Class.forName(entrypoint.get(3)).getMethod("main", String[].class);
        String mounted = strings(services.get("producer").get("volumes")).get(0).split(":")[0];
        Path posts = DeploymentFiles.repo().resolve(mounted);
        assertThat(posts).isRegularFile();
        assertThat(strings(services.get("producer").get("command"))).last().isEqualTo(
                strings(services.get("producer").get("volumes")).get(0).split(":")[1]);
    }

    @Test
    void everySamplePostPointsAtAnImageTheServerHasOrAtADeliberateFailure() throws Exception {
        Path images = DeploymentFiles.repo().resolve("deploy/compose/images");
        assertThat(strings(services.get("images").get("volumes"))).containsExactly("./deploy/compose/images:/usr/share/nginx/html:ro");
        for (String line : Files.readAllLines(DeploymentFiles.repo().resolve("deploy/compose/posts.jsonl"))) {
            JsonNode post = DeploymentFiles.YAML.readTree(line);
            if (post.has("imageUrl") && post.get("imageUrl").asText().startsWith("http://images/")) {
                String file = post.get("imageUrl").asText().substring("http://images/".length());
                if (!file.equals("missing.jpg")) {
                    assertThat(images.resolve(file)).as(line).isRegularFile();
                }
            }
        }
    }

    @Test
    void servicesStartInOrder() {
        assertThat(services.get("create-topics").get("depends_on").get("kafka").get("condition").asText()).isEqualTo("service_healthy");
        JsonNode jobDeps = services.get("jobmanager").get("depends_on");
        assertThat(jobDeps.get("create-topics").get("condition").asText()).isEqualTo("service_completed_successfully");
        assertThat(jobDeps.get("schema-registry").get("condition").asText()).isEqualTo("service_healthy");
        assertThat(jobDeps.get("images").get("condition").asText()).isEqualTo("service_healthy");
        for (String service : List.of("kafka", "schema-registry", "images", "jobmanager")) {
            assertThat(services.get(service).has("healthcheck")).as(service + " has a health check").isTrue();
        }
        for (String service : List.of("taskmanager", "taskmanager-gpu", "producer")) {
            assertThat(services.get(service).get("depends_on").get("jobmanager").get("condition").asText())
                    .as(service).isEqualTo("service_healthy");
        }
    }

    @Test
    void theGpuProfileReservesAnNvidiaDevice() {
        JsonNode gpu = services.get("taskmanager-gpu");
        assertThat(strings(gpu.get("profiles"))).containsExactly("gpu");
        JsonNode device = gpu.get("deploy").get("resources").get("reservations").get("devices").get(0);
        assertThat(device.get("driver").asText()).isEqualTo("nvidia");
        assertThat(strings(device.get("capabilities"))).containsExactly("gpu");
    }
}
