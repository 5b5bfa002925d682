package org.mafstream.job.cli;

import java.util.List;
import java.util.Properties;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;

/**
 * Where the tools find Kafka: {@code --bootstrap-servers} and any number of
 * {@code --kafka.properties.<name> value}, passed to the clients unchanged (security settings
 * and the like).
 */
public record KafkaOptions(String bootstrapServers, Properties kafkaProperties) {
    static final String KAFKA_PROPERTIES = "kafka.properties.";

    static List<Option> options() {
        return List.of(
                Option.value("bootstrap-servers", "HOST:PORT[,...]", "Kafka bootstrap servers (required)"),
                Option.family(KAFKA_PROPERTIES, "VALUE",
                        "a Kafka client property, e.g. --kafka.properties.security.protocol SASL_SSL"));
    }

    static KafkaOptions from(Parsed args) {
        Properties kafka = new Properties();
        kafka.putAll(args.family(KAFKA_PROPERTIES));
        return new KafkaOptions(args.required("bootstrap-servers").trim(), kafka);
    }
}
