package org.mafstream.job.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tools answer to --help and to command lines they cannot run; no Kafka needed. */
class ToolUsageTest {
    private static final String[] CLUSTER = {"--bootstrap-servers", "localhost:1", "--schema-registry-url", "mock://usage"};

    @TempDir
    Path dir;

    @Test
    void helpIsPrintedOnStandardOutputWithStatusZero() {
        ToolRun produce = ToolRun.produce("--help");
        assertThat(produce.exitStatus()).isZero();
        assertThat(produce.out()).startsWith("Usage: produce").contains("--image-base-url", "imageBase64", "--limit");
        ToolRun consume = ToolRun.consume("--help");
        assertThat(consume.exitStatus()).isZero();
        assertThat(consume.out()).startsWith("Usage: consume").contains("read_committed", "aborts", "--from-beginning");
    }

    @Test
    void unknownOptionsAreRefusedWithTheKnownOnes() {
        ToolRun run = ToolRun.consume("--bootstrap-server", "localhost:9092");
        assertThat(run.exitStatus()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option --bootstrap-server. Known options: --bootstrap-servers,",
                "--kafka.properties.<name>", "--group-id", "Run with --help");
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
    }
}
