package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mafstream.cli.CommandTable;
import org.mafstream.job.launcher.Tools;
import org.mafstream.job.local.LocalStackUsageTest;

/**
 * What the tools answer to --help and to command lines they cannot run, every one of them
 * through the launcher's own table ({@link Tools}); no Kafka, no model needed.
 */
public class ToolUsageTest {
    private static final String[] CLUSTER = {"--bootstrap-servers", "localhost:1", "--schema-registry-url", "mock://usage"};
    private static final String LOG_CONFIG = "log4j2.configurationFile";

    @TempDir
    Path dir;

    private String logConfigBefore;

    /** The launcher's table points log4j at the tools' configuration: keep this JVM's as it was. */
    @BeforeEach
    void rememberLogging() {
        logConfigBefore = System.getProperty(LOG_CONFIG);
    }

    @AfterEach
    void restoreLogging() {
        if (logConfigBefore == null) {
            System.clearProperty(LOG_CONFIG);
        } else {
            System.setProperty(LOG_CONFIG, logConfigBefore);
        }
    }

    /** Every command of the launcher, bench's kinds as {@code bench KIND}; local has LocalStackUsageTest (its entry catches SIGINT). */
    static Stream<String> commands() {
        List<String> commands = new ArrayList<>();
        for (CommandTable.Entry entry : Tools.COMMANDS.entries()) {
            if (entry.name().equals("bench")) {
                Tools.BENCH.entries().forEach(kind -> commands.add("bench " + kind.name()));
            } else if (!entry.name().equals("local")) {
                commands.add(entry.name());
            }
        }
        return commands.stream();
    }

    static ToolRun launcher(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            status = Tools.COMMANDS.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("a usage check threw instead of explaining: " + e, e);
        }
        return new ToolRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] command(String command, String... args) {
        return ToolRun.args(List.of(command.split(" ")), args);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandPrintsItsHelpOnStandardOutputWithStatusZero(String command) {
        ToolRun run = launcher(command(command, "--help"));
        assertThat(run.exitStatus()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Usage: maf-stream " + command).contains("Options:", "--help");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandRefusesAnUnknownOptionWithTheKnownOnesAndStatusTwo(String command) {
        ToolRun run = launcher(command(command, "--bogus", "1"));
        assertThat(run.exitStatus()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option --bogus. Known options: --", ", --help", "Run with --help")
                .doesNotContain("Exception", "\tat ");
        assertThat(run.err().lines()).hasSize(2);
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandRefusesAStrayArgumentUnlessItTakesFiles(String command) {
        ToolRun run = launcher(command(command, "stray"));
        assertThat(run.exitStatus()).isEqualTo(2);
        if (command.equals("produce")) {
            assertThat(run.err()).contains("no such file: stray");
        } else {
            assertThat(run.err()).contains("Unexpected argument stray");
        }
    }

    @Test
    void theLauncherListsEveryCommandAndRefusesUnknownOnes() {
        ToolRun help = launcher("--help");
        assertThat(help.exitStatus()).isZero();
        assertThat(help.out()).contains("  demo ", "  local ", "  produce ", "  consume ", "  dead-letters ", "  evaluate ",
                "  bench KIND ", "  soak ", "  export ", "  assemble ", "  train ", "  fine-tune ", "  train-maf ", "  job ");
        ToolRun unknown = launcher("demos");
        assertThat(unknown.exitStatus()).isEqualTo(2);
        assertThat(unknown.err()).contains("maf-stream: unknown command 'demos'. Commands: demo, local, produce");
        ToolRun bench = launcher("bench", "gpu");
        assertThat(bench.exitStatus()).isEqualTo(2);
        assertThat(bench.err()).contains("unknown command 'gpu'. Commands: job, inference, fetch, bert");
    }

    @Test
    void anOptionThatNeedsAValueRefusesAMissingOneNamingTheChoices() {
        for (String command : List.of("demo", "soak", "bench job", "bench inference")) {
            ToolRun run = launcher(command(command, "--random-init"));
            assertThat(run.exitStatus()).as(command).isEqualTo(2);
            assertThat(run.err()).as(command).contains("Option --random-init needs a value (tiny|base)");
        }
        assertThat(launcher("export", "--random-init", "--out", "x").err())
                .contains("Option --random-init needs a value (tiny|base)");
        assertThat(launcher("demo", "--random-init", "huge").err()).contains("must be one of tiny, base, got huge");
        assertThat(launcher("bench", "fetch", "--cache", "yes").err()).contains("must be one of on, off, got yes");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        assertThat(launcher("soak", "--rate", "0").err()).contains("Option --rate must be positive, got 0");
        assertThat(launcher("soak", "--duration", "soon").err()).contains("Option --duration must be a positive duration");
        assertThat(launcher("bench", "fetch", "--latencies", "0,fifty").err())
                .contains("Option --latencies must be a comma-separated list of integers");
        assertThat(launcher("bench", "job", "--posts", "1").err()).contains("Option --posts must be at least 2");
        assertThat(launcher("bench", "bert", "--batch", "0").err()).contains("Option --batch must be a positive integer");
        assertThat(launcher("demo", "--model", "x", "--random-init", "tiny").err()).contains("--model or --random-init, not both");
        assertThat(launcher("train", "--train", "a", "--valid", "b", "--out", "c", "--epochs", "x").err())
                .contains("Option --epochs must be an integer, got x");
    }

    @Test
    void theJobExplainsUnknownKeysAndBadValuesInOneParagraph() {
        ToolRun bogus = launcher("job", "--bogus", "1");
        assertThat(bogus.exitStatus()).isEqualTo(2);
        assertThat(bogus.err()).startsWith("maf-stream job: Unknown option --bogus. Known options: --kafka.bootstrap-servers,")
                .contains("--kafka.properties.<name>").doesNotContain("Exception", "\tat ");
        ToolRun badValue = launcher("job", "--kafka.bootstrap-servers", "b:9092", "--schema-registry.url", "mock://x",
                "--model.bundle", dir.toString(), "--inference.batch-size", "many");
        assertThat(badValue.exitStatus()).isEqualTo(2);
        assertThat(badValue.err()).startsWith("maf-stream job: Option inference.batch-size must be an integer, got many");
        ToolRun noBundle = launcher("job", "--kafka.bootstrap-servers", "b:9092", "--schema-registry.url", "mock://x",
                "--model.bundle", dir.resolve("none").toString());
        assertThat(noBundle.exitStatus()).isEqualTo(2);
        assertThat(noBundle.err()).contains("Option model.bundle: " + dir.resolve("none") + " is not a readable model bundle");
        ToolRun help = launcher("job", "--help");
        assertThat(help.out()).contains("--kafka.bootstrap-servers HOST:PORT[,...]", "--inference.timeout DURATION",
                "--delivery-guarantee exactly-once|at-least-once|none", "Default: 5 min.");
    }

    @Test
    void relativePathsThatNameNothingAreReportedWithWhereTheyWereLookedFor() {
        ToolRun demo = launcher("demo", "--model", "no-such-dir/bundle");
        assertThat(demo.exitStatus()).isEqualTo(2);
        assertThat(demo.err()).contains("--model no-such-dir/bundle is not a model bundle: no "
                + Path.of("no-such-dir/bundle/manifest.json").toAbsolutePath());
        ToolRun evaluate = launcher("evaluate", "--bundle", dir.toString(), "--data", "x.txt");
        assertThat(evaluate.err()).contains("--bundle " + dir + " is not a model bundle");
    }

    @Test
    void helpIsPrintedOnStandardOutputWithStatusZero() {
        ToolRun produce = ToolRun.produce("--help");
        assertThat(produce.exitStatus()).isZero();
        assertThat(produce.out()).startsWith("Usage: maf-stream produce").contains("--image-base-url", "imageBase64", "--limit");
        ToolRun consume = ToolRun.consume("--help");
        assertThat(consume.exitStatus()).isZero();
        assertThat(consume.out()).startsWith("Usage: maf-stream consume").contains("read_committed", "aborts", "--from-beginning");
    }

    @Test
    void unknownOptionsAreRefusedWithTheKnownOnes() {
        ToolRun run = ToolRun.consume("--bootstrap-server", "localhost:9092");
        assertThat(run.exitStatus()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option --bootstrap-server. Known options: --bootstrap-servers,",
                "--kafka.properties.<name>", "--group-id", "Run with --help");
        ToolRun deadLetters = ToolRun.of(ReadDeadLetters::run, "", "--bootstrap-servers", "localhost:1",
                "--schema-registry-url", "mock://x");
        assertThat(deadLetters.exitStatus()).as("dead letters need no registry").isEqualTo(2);
        assertThat(deadLetters.err()).contains("Unknown option --schema-registry-url.");
    }

    @Test
    void produceRefusesInputsItCannotRead() throws IOException {
        assertThat(ToolRun.produce(ToolRun.args(List.of(CLUSTER))).err()).contains("no input files given");
        assertThat(ToolRun.produce(ToolRun.args(List.of(CLUSTER), "-")).err())
                .contains("cannot tell the format of - from its name; give --format");
        assertThat(ToolRun.produce(ToolRun.args(List.of(CLUSTER), dir.resolve("missing.jsonl").toString()))
                .err()).contains("no such file: ");
        Path csv = Files.writeString(dir.resolve("posts.csv"), "id,text\n");
        ToolRun run = ToolRun.produce(ToolRun.args(List.of(CLUSTER), csv.toString()));
        assertThat(run.exitStatus()).isEqualTo(2);
        assertThat(run.err()).contains("posts.csv from its name");
        assertThat(ToolRun.produce(ToolRun.args(List.of(CLUSTER), "--format", "csv", "-")).err())
                .contains("--format must be jsonl or conll");
    }

    @Test
    void badClusterSettingsAreUsageErrors() {
        ToolRun badUrl = ToolRun.consume("--bootstrap-servers", "localhost:1", "--schema-registry-url", "ftp://registry");
        assertThat(badUrl.exitStatus()).isEqualTo(2);
        assertThat(badUrl.err()).contains("must be http(s):// or mock://");
        assertThat(ToolRun.consume("--schema-registry-url", "mock://x").err()).contains("--bootstrap-servers is required");
        ToolRun uncommitted = ToolRun.consume(ToolRun.args(List.of(CLUSTER),
                "--kafka.properties.isolation.level", "read_uncommitted"));
        assertThat(uncommitted.exitStatus()).isEqualTo(2);
        assertThat(uncommitted.err()).contains("always read_committed");
        ToolRun deadLetters = ToolRun.of(ReadDeadLetters::run, "", "--bootstrap-servers", "localhost:1",
                "--kafka.properties.isolation.level", "read_uncommitted");
        assertThat(deadLetters.err()).contains("always read_committed");
    }
}
