package org.mafstream.job.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mafstream.job.registry.server.RegistryHttpServer;
import org.mafstream.job.tools.ToolCommandLine.Option;
import org.mafstream.job.tools.ToolCommandLine.Parsed;
import org.mafstream.job.tools.ToolCommandLine.UsageException;
import org.mafstream.model.arch.MafShape;

/**
 * The local stack's options. Ports are on loopback; 0 picks a free one.
 *
 * @param model a bundle directory, or null for the default model
 * @param randomInit a random MAF of this size instead of the trained text model, or null
 */
record LocalStackSettings(int kafkaPort, int registryPort, int imagePort, int webUiPort, Path model,
        MafShape randomInit, int parallelism, Duration checkpointInterval) {
    static final int DEFAULT_KAFKA_PORT = 9092;
    static final int DEFAULT_IMAGE_PORT = 8090;
    /** Not Flink's usual 8081: that is the schema registry's. */
    static final int DEFAULT_WEB_UI_PORT = 8082;
    static final int DEFAULT_PARALLELISM = 2;
    private static final int MAX_PARALLELISM = 256;
    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    static List<Option> options() {
        return List.of(
                Option.value("kafka-port", "PORT", "Kafka's client port on localhost (default " + DEFAULT_KAFKA_PORT + ")"),
                Option.value("registry-port", "PORT",
                        "the schema registry's port (default " + RegistryHttpServer.DEFAULT_PORT + ")"),
                Option.value("image-port", "PORT", "the local image server's port (default " + DEFAULT_IMAGE_PORT + ")"),
                Option.value("web-ui-port", "PORT", "Flink's web UI and REST port (default " + DEFAULT_WEB_UI_PORT + ")"),
                Option.value("model", "DIR", "a model bundle (default: the trained text model)"),
                Option.value("random-init", "tiny|base", "a randomly initialised MAF instead (meaningless entities)"),
                Option.value("parallelism", "N", "the job's parallelism (default " + DEFAULT_PARALLELISM + ")"),
                Option.value("checkpoint-interval", "DURATION",
                        "how often annotations are committed and become visible (default 1s)"));
    }

    static LocalStackSettings from(Parsed args) {
        Path model = args.get("model").map(Path::of).orElse(null);
        if (model != null && !Files.isDirectory(model)) {
            throw new UsageException("no such model directory: " + model);
        }
        MafShape randomInit = args.get("random-init").map(LocalStackSettings::shape).orElse(null);
        if (model != null && randomInit != null) {
            throw new UsageException("give --model or --random-init, not both");
        }
        LocalStackSettings settings = new LocalStackSettings(
                port(args, "kafka-port", DEFAULT_KAFKA_PORT),
                port(args, "registry-port", RegistryHttpServer.DEFAULT_PORT),
                port(args, "image-port", DEFAULT_IMAGE_PORT),
                port(args, "web-ui-port", DEFAULT_WEB_UI_PORT),
                model, randomInit,
                parallelism(args),
                args.positiveDuration("checkpoint-interval").orElse(DEFAULT_CHECKPOINT_INTERVAL));
        settings.requireDistinctPorts();
        return settings;
    }

    private static int parallelism(Parsed args) {
        long parallelism = args.positiveLong("parallelism").orElse((long) DEFAULT_PARALLELISM);
        if (parallelism > MAX_PARALLELISM) {
            throw new UsageException("Option --parallelism must be at most " + MAX_PARALLELISM + " on one machine, got "
                    + parallelism);
        }
        return (int) parallelism;
    }

    private static MafShape shape(String name) {
        return switch (name) {
            case "tiny" -> MafShape.TINY;
            case "base" -> MafShape.BASE;
            default -> throw new UsageException("Option --random-init must be tiny or base, got " + name);
        };
    }

    private static int port(Parsed args, String name, int fallback) {
        String value = args.get(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new UsageException("Option --" + name + " must be a port, 0 to 65535 (0: any free one), got " + value);
    }

    private void requireDistinctPorts() {
        Map<Integer, String> taken = new HashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("kafka-port", kafkaPort);
        ports.put("registry-port", registryPort);
        ports.put("image-port", imagePort);
        ports.put("web-ui-port", webUiPort);
        ports.forEach((name, port) -> {
            String other = port == 0 ? null : taken.putIfAbsent(port, name);
            if (other != null) {
                throw new UsageException("--" + other + " and --" + name + " are both " + port);
            }
        });
    }
}
