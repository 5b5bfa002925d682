package org.mafstream.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.cli.ToolRun;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.testing.TinyBundle;

/**
 * The local stack as a user runs it: in a JVM of its own, started through its command line, then
 * spoken to only over the network, as separate processes would: the produce tool against the http:// registry URL,
 * a raw Kafka producer for a poison record, the consume tool, a plain read_committed consumer for
 * the dead letters, HTTP for the registry and the web UI. Then stopped with SIGINT, as Ctrl-C
 * stops it: it must exit 0, and every port it had must be free again. The tiny fixture model keeps it quick.
 */
public class LocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(180);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void separateClientsProduceAndConsumeThroughTheStackUntilItStops(@TempDir Path dir) throws Exception {
        int kafkaPort = freePort();
        int registryPort = freePort();
        int imagePort = freePort();
        int webUiPort = freePort();
        String bootstrap = "localhost:" + kafkaPort;
        String registry = "http://localhost:" + registryPort;
        String images = "http://127.0.0.1:" + imagePort;
        String webUi = "http://localhost:" + webUiPort;

        Path stdout = dir.resolve("stack.out");
        Path stderr = dir.resolve("stack.err");
        Process stack = startStack(stdout, stderr,
                "--kafka-port", Integer.toString(kafkaPort), "--registry-port", Integer.toString(registryPort),
                "--image-port", Integer.toString(imagePort), "--web-ui-port", Integer.toString(webUiPort),
                "--model", TinyBundle.path().toString(), "--parallelism", "1", "--checkpoint-interval", "500ms");
        try {
            awaitReady(stack, stdout, stderr);
            String printed = Files.readString(stdout);
            assertThat(printed).contains(bootstrap, registry, images, webUi,
                    "bin/maf-stream produce --bootstrap-servers " + bootstrap + " --schema-registry-url " + registry,
                    "bin/maf-stream consume --bootstrap-servers " + bootstrap + " --schema-registry-url " + registry,
                    "bin/maf-stream dead-letters --bootstrap-servers " + bootstrap,
                    "for local use only");

            webUiAnswers(webUi);

            Map<String, String> posts = Map.of(
                    "local-1", images + "/local-1.jpg",
                    "local-2", images + "/local-2.png",
                    "local-3", "",
                    "local-4", images + "/missing.jpg",
                    "local-5", images + "/not-an-image.jpg",
                    "local-6", "");
            Path file = writePosts(dir.resolve("posts.jsonl"), posts);
            ToolRun produced = ToolRun.produce("--bootstrap-servers", bootstrap, "--schema-registry-url", registry,
                    file.toString());
            assertThat(produced.exitStatus()).as(produced.err()).isZero();
            sendPoison(bootstrap);

            ToolRun consumed = ToolRun.consume("--bootstrap-servers", bootstrap, "--schema-registry-url", registry,
                    "--from-beginning", "--max", Integer.toString(posts.size()), "--timeout", "60s");
            assertThat(consumed.exitStatus()).as(consumed.err()).isZero();
            Map<String, JsonNode> annotations = byPostId(consumed.outLines());
            assertThat(annotations).containsOnlyKeys(posts.keySet());
            assertThat(annotations.get("local-1").get("imageStatus").asText())
                    .as("fetched from the stack's image server").isEqualTo("OK");
            assertThat(annotations.get("local-3").get("imageStatus").asText()).isEqualTo("NO_IMAGE");
            assertThat(annotations.get("local-4").get("imageStatus").asText()).isEqualTo("FETCH_FAILED");

            // Exactly once: read everything again, allowing time for a duplicate to show up.
            ToolRun again = ToolRun.consume("--bootstrap-servers", bootstrap, "--schema-registry-url", registry,
                    "--from-beginning", "--timeout", "2s");
            assertThat(again.outLines()).hasSize(posts.size());

            List<ConsumerRecord<byte[], byte[]>> deadLetters = CommittedTopicReader.read(
                    bootstrap, RunningStack.DEAD_LETTERS, 1, Duration.ofSeconds(30), Duration.ofSeconds(1));
            assertThat(deadLetters).hasSize(1);
            assertThat(new String(deadLetters.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("poison-1");
            assertThat(header(deadLetters.get(0), DeadLetter.REASON)).isEqualTo("BAD_MAGIC_BYTE");

            JsonNode subjects = JSON.readTree(get(registry + "/subjects").body());
            assertThat(JSON.convertValue(subjects, List.class))
                    .as("producer and job registered through the HTTP registry")
                    .containsExactly("post-annotations-value", "posts-value");
        } finally {
            interrupt(stack); // as Ctrl-C does
        }

        assertThat(stack.exitValue()).as("exit status after SIGINT or SIGTERM (137: still running after %d s, killed)\n%s%s",
                STOP_LIMIT.toSeconds(), Files.readString(stdout), Files.readString(stderr)).isZero();
        List<String> printed = Files.readAllLines(stdout);
        assertThat(printed).contains(StackGuide.READY, "Stopped.");
        assertThat(printed).as("standard output carries the stack's own lines only, no log lines")
                .noneMatch(line -> line.matches(".*\\b(INFO|WARN|ERROR)\\b.*"));
        Map.of("Kafka", kafkaPort, "registry", registryPort, "image server", imagePort, "web UI", webUiPort)
                .forEach(LocalStackIT::assertFree);
    }

    private static void assertFree(String what, int port) {
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        } catch (IOException e) {
            throw new AssertionError("the " + what + "'s port " + port + " is still taken after the stack stopped", e);
        }
    }

    private void webUiAnswers(String webUi) throws Exception {
        HttpResponse<String> page = get(webUi + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).as("the web UI's page, not only the REST API").contains("<html").contains("Flink");

        JsonNode overview = JSON.readTree(get(webUi + "/overview").body());
        assertThat(overview.get("flink-version").asText()).isEqualTo(System.getProperty("flink.version"));
        JsonNode jobs = JSON.readTree(get(webUi + "/jobs/overview").body()).get("jobs");
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).get("name").asText()).isEqualTo(RunningStack.JOB_NAME);
        assertThat(jobs.get(0).get("state").asText()).isEqualTo("RUNNING");
    }

    /** The stack in a JVM of its own, as {@code bin/maf-stream local} runs it, with the stack's log configuration. */
    private static Process startStack(Path stdout, Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dlog4j2.configurationFile=" + Path.of("src/demo/log4j2-local.properties").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), LocalStack.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        return builder.start();
    }

    /**
     * SIGINT, as Ctrl-C sends, unless the stack inherited SIGINT ignored: a shell that starts a
     * job in the background (as CI may run this build) sets SIGINT to ignored for it, and the JVM
     * cannot catch an ignored signal. Then SIGTERM, which the stack handles the same way.
     */
    private static void interrupt(Process process) throws IOException, InterruptedException {
        if (process.isAlive()) {
            String signal = ignoresSigint(process.pid()) ? "-TERM" : "-INT";
            new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        }
        // A liveness bound, not a speed target: cancelling the job and closing Flink and Kafka
        // take seconds alone and more on a loaded 2-core CI machine.
        if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // never leave it behind, whatever the test found
        }
    }

    /** Linux's view of the process: bit 2 (SIGINT) of its ignored-signal mask. */
    private static boolean ignoresSigint(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 0b10) != 0;
            }
        }
        return false;
    }

    private static void awaitReady(Process stack, Path stdout, Path stderr) throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (!Files.readString(stdout).contains(StackGuide.READY)) {
            if (!stack.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the stack did not start within " + START_LIMIT + ":\n"
                        + Files.readString(stdout) + Files.readString(stderr));
            }
            Thread.sleep(200);
        }
    }

    private static Path writePosts(Path file, Map<String, String> posts) throws IOException {
        List<String> lines = new ArrayList<>();
        posts.forEach((id, image) -> {
            var node = JSON.createObjectNode().put("postId", id).put("text", "Kevin Durant visits Oracle Arena in " + id);
            if (!image.isEmpty()) {
                node.put("imageUrl", image);
            }
            lines.add(node.toString());
        });
        return Files.write(file, lines);
    }

    /** A record no Confluent producer would write: JSON instead of framed Avro. */
    private static void sendPoison(String bootstrap) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(RunningStack.INPUT, "poison-1".getBytes(StandardCharsets.UTF_8),
                    "{\"text\":\"JSON is not Avro\"}".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static Map<String, JsonNode> byPostId(List<String> lines) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            nodes.add(JSON.readTree(line));
        }
        assertThat(nodes.stream().map(n -> n.get("postId").asText())).doesNotHaveDuplicates();
        return nodes.stream().collect(Collectors.toMap(n -> n.get("postId").asText(), Function.identity()));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
