package org.mafstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;

class ToolCommandLineTest {
    private final ToolCommandLine commandLine = new ToolCommandLine("tool [options] FILE...", "Does things.", List.of(
            Option.value("topic", "NAME", "the topic"),
            Option.value("timeout", "DURATION", "how long"),
            Option.value("max", "N", "how many"),
            Option.flag("from-beginning", "from the start"),
            Option.family("kafka.properties.", "VALUE", "a Kafka property"),
            Option.choice("size", List.of("tiny", "base"), "how big"),
            Option.value("rate", "X", "per second"),
            Option.value("latencies", "MS,...", "latencies"))).withArguments("FILE");

    private final ToolCommandLine optionsOnly = new ToolCommandLine("tool [options]", "Does things.", List.of(
            Option.value("topic", "NAME", "the topic")));

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
                        + "--kafka.properties.<name>, --size, --rate, --latencies, --help");
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
    void aChoiceNeedsOneOfItsValuesAndAMissingOneIsRefusedNamingThem() {
        assertThat(commandLine.parse(new String[] {"--size", "base"}).get("size")).contains("base");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--size"}))
                .isInstanceOf(UsageException.class).hasMessage("Option --size needs a value (tiny|base)");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--size", "--topic", "x"}))
                .hasMessage("Option --size needs a value (tiny|base)");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--size", "huge"}))
                .hasMessage("Option --size must be one of tiny, base, got huge");
    }

    @Test
    void positionalArgumentsAreRefusedUnlessTheCommandTakesThem() {
        assertThatThrownBy(() -> optionsOnly.parse(new String[] {"posts"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("Unexpected argument posts: this command takes options only (--name value)");
        assertThat(optionsOnly.parse(new String[] {"posts", "--help"}).helpRequested()).isTrue();
        assertThat(commandLine.parse(new String[] {"posts"}).positional()).containsExactly("posts");
    }

    @Test
    void numbersAreCheckedAndNamedInTheMessage() {
        assertThat(commandLine.parse(new String[] {"--rate", "2.5e1"}).positiveNumber("rate")).contains(25.0);
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--rate", "fast"}).number("rate"))
                .isInstanceOf(UsageException.class).hasMessage("Option --rate must be a number, got fast");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--rate", "0"}).positiveNumber("rate"))
                .hasMessage("Option --rate must be positive, got 0");
        assertThat(commandLine.parse(new String[] {"--max", "-3"}).longInteger("max")).contains(-3L);
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--max", "-3"}).integer("max", 0))
                .hasMessage("Option --max must be >= 0, got -3");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--max", "3000000000"}).positiveInt("max"))
                .hasMessage("Option --max is out of range: 3000000000");
        assertThat(commandLine.parse(new String[] {"--latencies", "0,50,200"}).intList("latencies", 0))
                .contains(List.of(0, 50, 200));
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--latencies", "0,,200"}).intList("latencies", 0))
                .hasMessage("Option --latencies must be a comma-separated list of integers, got ");
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--latencies", "-5"}).intList("latencies", 0))
                .hasMessage("Option --latencies takes integers >= 0, got -5");
    }

    @Test
    void pathsStayAsTypedForTheWorkingDirectoryToResolve() {
        assertThat(commandLine.parse(new String[] {"--topic", "models/maf"}).path("topic")).contains(Path.of("models/maf"));
        assertThatThrownBy(() -> commandLine.parse(new String[] {"--topic", " "}).path("topic"))
                .hasMessage("Option --topic is empty");
        assertThatThrownBy(() -> commandLine.parse(new String[0]).requiredPath("topic"))
                .hasMessage("Option --topic is required");
    }

    @Test
    void aUsageErrorIsOneParagraphOnStandardErrorWithStatusTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ToolCommandLine.Startup<String> startup = optionsOnly.settings("tool", new String[] {"--bogus"}, p -> "ran",
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(startup.exitStatus()).isEqualTo(ToolCommandLine.USAGE_ERROR);
        assertThat(startup.settings()).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(String.format(
                "tool: Unknown option --bogus. Known options: --topic, --help%nRun with --help for usage.%n"));

        ToolCommandLine.Startup<String> help = optionsOnly.settings("tool", new String[] {"--help"}, p -> "ran",
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(help.exitStatus()).isEqualTo(ToolCommandLine.HELP_SHOWN);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: tool [options]");
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
