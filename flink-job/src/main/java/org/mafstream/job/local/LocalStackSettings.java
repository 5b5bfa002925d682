package org.mafstream.job.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mafstream.job.registry.server.RegistryHttpServer;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;

/**
 * The local stack's options. Ports are on loopback; 0 picks a free one.
 *
 * @param model the model the demo would run for the same options
 */
public record LocalStackSettings(int kafkaPort, int registryPort, int imagePort, int webUiPort, DemoModel.Choice model,
        int parallelism, Duration checkpointInterval) {
    static final int DEFAULT_KAFKA_PORT = 9092;
    static final int DEFAULT_IMAGE_PORT = 8090;
    /** Not Flink's usual 8081: that is the schema registry's. */
    static final int DEFAULT_WEB_UI_PORT = 8082;
    static final int DEFAULT_PARALLELISM = 2;
    private static final int MAX_PARALLELISM = 256;
    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    static List<Option> options() {
        List<Option> options = new ArrayList<>(List.of(
                Option.value("kafka-port", "PORT", "Kafka's client port on localhost (default " + DEFAULT_KAFKA_PORT + ")"),
                Option.value("registry-port", "PORT",
                        "the schema registry's port (default " + RegistryHttpServer.DEFAULT_PORT + ")"),
                Option.value("image-port", "PORT", "the local image server's port (default " + DEFAULT_IMAGE_PORT + ")"),
                Option.value("web-ui-port", "PORT", "Flink's web UI and REST port (default " + DEFAULT_WEB_UI_PORT + ")")));
        options.addAll(DemoModel.options());
        options.add(Option.value("parallelism", "N", "the job's parallelism (default " + DEFAULT_PARALLELISM + ")"));
        options.add(Option.value("checkpoint-interval", "DURATION",
                "how often annotations are committed and become visible (default 1s)"));
        return options;
    }

    static LocalStackSettings from(Parsed args) {
        LocalStackSettings settings = new LocalStackSettings(
                port(args, "kafka-port", DEFAULT_KAFKA_PORT),
                port(args, "registry-port", RegistryHttpServer.DEFAULT_PORT),
                port(args, "image-port", DEFAULT_IMAGE_PORT),
                port(args, "web-ui-port", DEFAULT_WEB_UI_PORT),
                DemoModel.Choice.from(args),
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
