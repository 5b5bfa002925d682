package org.mafstream.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;

/**
 * The job's command line: every {@link JobOptions} key as a Flink-style {@code --key value}, and
 * {@code --kafka.properties.<name> value}. The values are Flink's (durations such as {@code 30 s},
 * lists separated by {@code ;}), parsed by Flink's {@code Configuration} in {@link JobConfig}.
 */
public final class JobCommandLine {
    /** Value names where the type alone says too little. */
    private static final Map<String, String> VALUE_NAMES = Map.of(
            JobOptions.BOOTSTRAP_SERVERS.key(), "HOST:PORT[,...]",
            JobOptions.REGISTRY_URL.key(), "URL[,...]",
            JobOptions.REGISTRY_BASIC_AUTH.key(), "USER:PASSWORD",
            JobOptions.MODEL_BUNDLE.key(), "DIR",
            JobOptions.MODEL_GPU_IDS.key(), "ID[;ID...]",
            JobOptions.IMAGE_ALLOW_LIST.key(), "ENTRY[;ENTRY...]",
            JobOptions.DEAD_LETTER_TOPIC.key(), "NAME",
            JobOptions.INPUT_TOPIC.key(), "NAME",
            JobOptions.OUTPUT_TOPIC.key(), "NAME");

    public static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream job --kafka.bootstrap-servers HOST:PORT --schema-registry.url URL --model.bundle DIR"
                    + " [--key value ...]\n       (or: flink run maf-stream-job.jar --key value ...)",
            """
            Runs the maf-stream job: posts from Kafka, each post's image fetched and MAF run on both,
            annotations to Kafka, unreadable records to the dead-letter topic. Run this way, Flink is
            local (one JVM); on a cluster submit the job jar with the same options. Options also come
            from the Flink configuration (the command line wins). Durations as Flink writes them
            (500 ms, 30 s, 10 min), lists separated by ';'.
            Exit status: 0 the job finished, 2 the options are wrong (unknown keys, bad values, no
            model bundle where model.bundle says).""",
            Stream.concat(JobOptions.ALL.stream().map(JobCommandLine::option), Stream.of(Option.family(
                    JobOptions.KAFKA_PROPERTIES_PREFIX, "VALUE",
                    "passed to every Kafka client, e.g. --kafka.properties.security.protocol SASL_SSL"))).toList());

    private JobCommandLine() {}

    private static Option option(ConfigOption<?> option) {
        return Option.value(option.key(), valueName(option), help(option));
    }

    /** How the usage writes the option's value, e.g. {@code N}, {@code DURATION}, {@code true|false}. */
    static String valueName(ConfigOption<?> option) {
        String named = VALUE_NAMES.get(option.key());
        if (named != null) {
            return named;
        }
        Object example = option.hasDefaultValue() ? option.defaultValue() : null;
        if (example instanceof Duration) {
            return "DURATION";
        }
        if (example instanceof Integer || example instanceof Long) {
            return "N";
        }
        if (example instanceof Boolean) {
            return "true|false";
        }
        if (example instanceof Enum<?> constant) {
            return Stream.of(constant.getDeclaringClass().getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining("|"));
        }
        return "VALUE";
    }

    /** What a value must look like, for the error about one that does not parse. */
    static String expected(ConfigOption<?> option) {
        String name = valueName(option);
        return switch (name) {
            case "N" -> "an integer";
            case "DURATION" -> "a duration such as 500 ms, 30 s, 10 min";
            case "true|false" -> "true or false";
            default -> name.contains("|") ? "one of " + name.replace("|", ", ") : "of the form " + name;
        };
    }

    private static String help(ConfigOption<?> option) {
        String text = option.description().getBlocks().stream().map(JobCommandLine::text)
                .collect(Collectors.joining(" "));
        if (!option.hasDefaultValue()) {
            return text;
        }
        Object value = option.defaultValue();
        String shown = value instanceof Duration duration ? format(duration)
                : value instanceof List<?> list && list.isEmpty() ? "none" : String.valueOf(value);
        return text + " Default: " + shown + ".";
    }

    private static String text(BlockElement block) {
        // JobOptions' descriptions are plain strings: a text element without placeholders.
        return block instanceof TextElement text ? text.getFormat() : block.toString();
    }

    private static String format(Duration duration) {
        if (duration.toMillis() % 60_000 == 0) {
            return duration.toMinutes() + " min";
        }
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
