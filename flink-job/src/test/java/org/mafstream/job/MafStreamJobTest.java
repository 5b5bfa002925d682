package org.mafstream.job;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
