package org.mafstream.job.cli;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;

/**
 * How the reading tools (consume, dead-letters) read their topic: which topic, which consumer
 * group, where to start and when to stop.
 *
 * @param commitOffsets whether the group was named: only then are offsets committed
 * @param max stop after this many records; null: no limit
 * @param timeout stop after this long without a record; null: run until interrupted
 */
public record ReadOptions(KafkaOptions kafka, String topic, String groupId, boolean commitOffsets, boolean fromBeginning,
                   Long max, Duration timeout) {

    static List<Option> options(String defaultTopic) {
        return List.of(
                Option.value("topic", "NAME", "topic to read (default " + defaultTopic + ")"),
                Option.value("group-id", "ID", "consumer group (default: a fresh one, no offsets committed)"),
                Option.flag("from-beginning", "start at the earliest records (default: only new ones)"),
                Option.value("max", "N", "stop after N records"),
                Option.value("timeout", "DURATION",
                        "stop after DURATION without a record, e.g. 30s, 5m (default: run until interrupted)"));
    }

    /** @param tool names the fresh consumer group, e.g. {@code consume} */
    static ReadOptions from(Parsed args, KafkaOptions kafka, String defaultTopic, String tool) {
        // The job writes both its topics in Kafka transactions: anything else would show aborted records.
        String isolation = kafka.kafkaProperties().getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
        if (isolation != null && !isolation.equals("read_committed")) {
            throw new UsageException("isolation.level is always read_committed here (see --help), got " + isolation);
        }
        String topic = args.get("topic", defaultTopic).trim();
        if (topic.isEmpty()) {
            throw new UsageException("Option --topic is empty");
        }
        String groupId = args.get("group-id").map(String::trim).orElse(null);
        return new ReadOptions(kafka, topic,
                groupId != null ? groupId : "maf-stream-" + tool + "-" + UUID.randomUUID(),
                groupId != null,
                args.has("from-beginning"),
                args.positiveLong("max").orElse(null),
                args.positiveDuration("timeout").orElse(null));
    }
}
