package org.mafstream.job.tools;

import java.util.List;
import java.util.Properties;
import org.mafstream.job.registry.RegistrySettings;
import org.mafstream.job.tools.ToolCommandLine.Option;
import org.mafstream.job.tools.ToolCommandLine.Parsed;

/**
 * Where the tools find Kafka and the schema registry: the options both tools share, named as the
 * job names them where they can be.
 *
 * @param kafkaProperties client properties passed through unchanged (security settings and the like)
 */
public record ClusterOptions(String bootstrapServers, RegistrySettings registry, Properties kafkaProperties) {
    static final String KAFKA_PROPERTIES = "kafka.properties.";

    static List<Option> options() {
        return List.of(
                Option.value("bootstrap-servers", "HOST:PORT[,...]", "Kafka bootstrap servers (required)"),
                Option.value("schema-registry-url", "URL[,...]",
                        "schema registry, http(s)://... or mock://<scope> for the in-JVM one (required)"),
                Option.value("schema-registry-basic-auth", "USER:PASSWORD", "basic auth for the schema registry"),
                Option.family(KAFKA_PROPERTIES, "VALUE",
                        "a Kafka client property, e.g. --kafka.properties.security.protocol SASL_SSL"));
    }

    static ClusterOptions from(Parsed args) {
        RegistrySettings registry = RegistrySettings.of(args.required("schema-registry-url").trim());
        if (!registry.isMock()) {
            try {
                registry.baseUris(); // refuse a malformed URL now, not at the first request
            } catch (IllegalArgumentException e) {
                throw new ToolCommandLine.UsageException(e.getMessage());
            }
        }
        registry = args.get("schema-registry-basic-auth").map(registry::withBasicAuth).orElse(registry);
        Properties kafka = new Properties();
        kafka.putAll(args.family(KAFKA_PROPERTIES));
        return new ClusterOptions(args.required("bootstrap-servers").trim(), registry, kafka);
    }
}
