package org.mafstream.job.cli;

import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.job.registry.RegistrySettings;

/**
 * Where the tools that read or write Avro find Kafka and the schema registry, named as the job
 * names them where they can be. Tools that need only Kafka take {@link KafkaOptions}.
 */
public record ClusterOptions(KafkaOptions kafka, RegistrySettings registry) {

    static List<Option> options() {
        return Stream.concat(KafkaOptions.options().stream(), Stream.of(
                Option.value("schema-registry-url", "URL[,...]",
                        "schema registry, http(s)://... or mock://<scope> for the in-JVM one (required)"),
                Option.value("schema-registry-basic-auth", "USER:PASSWORD", "basic auth for the schema registry")))
                .toList();
    }

    static ClusterOptions from(Parsed args) {
        RegistrySettings registry = RegistrySettings.of(args.required("schema-registry-url").trim());
        if (!registry.isMock()) {
            try {
                registry.baseUris(); // refuse a malformed URL now, not at the first request
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        registry = args.get("schema-registry-basic-auth").map(registry::withBasicAuth).orElse(registry);
        return new ClusterOptions(KafkaOptions.from(args), registry);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Properties kafkaProperties() {
        return kafka.kafkaProperties();
    }
}
