package org.mafstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mafstream.cli.CommandTable.Entry;
import org.mafstream.cli.ToolCommandLine.UsageException;

class CommandTableTest {
    private final List<String> ran = new ArrayList<>();
    private final CommandTable table = new CommandTable("prog", "Does things.", List.of(
            new Entry("greet", "say hello", (args, out, err) -> {
                ran.add(String.join(" ", args));
                return 0;
            }),
            new Entry("bench", "job|inference", "run a benchmark", (args, out, err) -> 7),
            new Entry("strict", "refuses everything", (args, out, err) -> {
                throw new UsageException("Unknown option " + args[0]);
            })));

    private String out;
    private String err;

    private int run(String... args) throws Exception {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int status = table.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return status;
    }

    @Test
    void theNamedCommandRunsWithTheRestOfTheArgumentsAndItsStatusIsReturned() throws Exception {
        assertThat(run("greet", "--name", "x")).isZero();
        assertThat(ran).containsExactly("--name x");
        assertThat(run("bench")).isEqualTo(7);
    }

    @Test
    void helpListsEveryCommandWithItsSummaryOnStandardOutput() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out).startsWith("Usage: prog COMMAND [options]")
                .contains("  greet                say hello", "  bench job|inference  run a benchmark", "Does things.",
                        "Run 'prog COMMAND --help'");
        assertThat(err).isEmpty();
        assertThat(ran).isEmpty();
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() throws Exception {
        assertThat(run()).isEqualTo(2);
        assertThat(err).startsWith("prog: no command given.").contains("greet");
        assertThat(run("gret")).isEqualTo(2);
        assertThat(err).contains("prog: unknown command 'gret'. Commands: greet, bench, strict", "Run 'prog --help'");
        assertThat(out).isEmpty();
    }

    @Test
    void aUsageErrorThrownByTheCommandIsReportedWithoutAStackTrace() throws Exception {
        assertThat(run("strict", "--bogus")).isEqualTo(2);
        assertThat(err).isEqualTo(String.format("prog strict: Unknown option --bogus%nRun with --help for usage.%n"));
    }
}
