package org.mafstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MafStreamJobTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingModelBundleIsReportedWhenTheJobIsBuiltNamingThePath() {
        Path missing = tmp.resolve("no-such-bundle");
        JobConfig config = JobConfig.fromArgs(new String[] {
                "--kafka.bootstrap-servers", "localhost:9092", "--schema-registry.url", "mock://x",
                "--model.bundle", missing.toString()});
        assertThatThrownBy(() -> MafStreamJob.build(StreamExecutionEnvironment.getExecutionEnvironment(), config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.bundle")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("manifest.json");
    }

    @Test
    void optionsItCannotRunWithEndInOneParagraphAndStatusTwoNotAnException() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MafStreamJob.run(new String[] {"--bogus", "1"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(message.lines()).hasSize(2).last().isEqualTo("Run with --help for usage.");
        assertThat(message).startsWith("maf-stream job: Unknown option --bogus. Known options:");
    }

    @Test
    void helpListsEveryJobOptionWithItsDefault() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = MafStreamJob.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        String usage = out.toString(StandardCharsets.UTF_8);
        for (var option : JobOptions.ALL) {
            assertThat(usage).contains("--" + option.key() + " ");
        }
        assertThat(usage).contains("--kafka.properties.<name> VALUE", "Default: maf-stream.", "Default: 10 s.");
    }
}
