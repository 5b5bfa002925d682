package org.mafstream.job.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mafstream.job.tools.ToolCommandLine.Option;
import org.mafstream.job.tools.ToolCommandLine.Parsed;
import org.mafstream.job.tools.ToolCommandLine.UsageException;

class ToolCommandLineTest {
    private final ToolCommandLine commandLine = new ToolCommandLine("tool [options] FILE...", "Does things.", List.of(
            Option.value("topic", "NAME", "the topic"),
            Option.value("timeout", "DURATION", "how long"),
            Option.value("max", "N", "how many"),
            Option.flag("from-beginning", "from the start"),
            Option.family("kafka.properties.", "VALUE", "a Kafka property")));

    @Test
    void optionsFlagsFamiliesAndPositionalsParse() {
        Parsed parsed = commandLine.parse(new String[] {
            "a.jsonl", "--topic", "posts", "--from-beginning", "--kafka.properties.security.protocol", "SASL_SSL",
            "--kafka.properties.sasl.jaas.config=x=y", "-", "--", "--not-an-option"});
        assertThat(parsed.get("topic")).contains("posts");
        assertThat(parsed.has("from-beginning")).isTrue();
        assertThat(parsed.has("max")).isFalse();
        assertThat(parsed.get("max", "7")).isEqualTo("7");
        assertThat(parsed.family("kafka.properties."))
                .isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "x=y"));
        assertThat(parsed.positional()).containsExactly("a.jsonl", "-", "--not-an-option");
        assertThat(parsed.helpRequested()).isFalse();
    }

    @Test
    void unknownOptionsAreRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--topik", "x"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("Unknown option --topik. Known options: --topic, --timeout, --max, --from-beginning, "
                        + "--kafka.properties.<name>, --help");
    }

    @Test
    void malformedCommandLinesAreRefused() {
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--topic"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--topic", "--max", "3"}))
                .hasMessageContaining("--topic needs a value");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--topic", "a", "--topic", "b"}))
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--from-beginning=yes"}))
                .hasMessageContaining("takes no value");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--kafka.properties.", "x"}))
                .hasMessageContaining("needs a name");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--max", "0"}).positiveLong("max"))
                .isInstanceOf(UsageException.class).hasMessageContaining("positive integer");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--timeout", "soon"}).positiveDuration("timeout"))
                .isInstanceOf(UsageException.class).hasMessageContaining("positive duration");
        assertThatThrownBy(() -> commandLine.parse(new String[0]).required("topic"))
                .hasMessage("Option --topic is required");
    }

    @Test
    void durationsTakeUnitsPlainSecondsAndIso() {
        assertThat(duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(duration("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(duration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    private Duration duration(String text) {
        return commandLine.parse(new String[] {"--timeout", text}).positiveDuration("timeout").orElseThrow();
    }

    @Test
    void helpListsEveryOptionAndTheDescription() {
        assertThat(commandLine.parse(new String[] {"-h"}).helpRequested()).isTrue();
        assertThat(commandLine.usage())
                .startsWith("Usage: tool [options] FILE...")
                .contains("--kafka.properties.<name> VALUE", "--from-beginning ", "--help ", "Does things.");
    }
}
