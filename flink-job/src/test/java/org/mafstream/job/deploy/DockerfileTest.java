package org.mafstream.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/Dockerfile (not built here: no Docker engine) checked against the build's outputs. */
class DockerfileTest {
    private static List<String> lines;

    @BeforeAll
    static void read() throws Exception {
        lines = Files.readAllLines(DeploymentFiles.repo().resolve("deploy/Dockerfile"));
    }

    @Test
    void basedOnTheOfficialFlinkImageOfOurVersion() {
        assertThat(lines).contains("ARG FLINK_IMAGE=flink:" + DeploymentFiles.flinkVersion() + "-java17");
        assertThat(lines).anyMatch(l -> l.startsWith("FROM nvidia/cuda:11.") && l.contains("cudnn8"));
    }

    @Test
    void copiesTheShadedJobJarAndTheMavenNativesTheBuildProduces() {
        String jar = "flink-job/target/maf-stream-job-" + DeploymentFiles.projectVersion() + ".jar";
        assertThat(lines).contains("COPY --chown=flink:flink " + jar + " " + DeploymentFiles.JOB_JAR_IN_IMAGE);
        String natives = "model-export/target/lib/tensorflow-native-cpu.jar";
        assertThat(lines).contains("COPY " + natives + " /tmp/tensorflow-native.jar");
        // The reactor builds model-export (which copies the native jar there) before flink-job.
        assertThat(DeploymentFiles.repo().resolve(natives)).isRegularFile();
    }

    @Test
    void everyRuntimeStageRunsAsFlinkWithTheNativeLibrariesOnTheirPath() {
        for (String stage : List.of("cpu", "gpu")) {
            List<String> body = stage(stage);
            assertThat(body).as(stage).contains("USER flink");
            assertThat(body).as(stage).anyMatch(l -> l.contains("TENSORFLOW_LIBRARY_PATH=/opt/tensorflow/lib"));
            assertThat(body).as(stage).anyMatch(l -> l.contains("MAF_MODEL_BUNDLE=" + DeploymentFiles.MODEL_IN_IMAGE));
        }
        assertThat(lines.get(lines.size() - 1)).as("default target").isEqualTo("FROM cpu");
    }

    private static List<String> stage(String name) {
        List<String> body = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith("FROM ")) {
                inside = line.endsWith(" AS " + name);
            }
            if (inside) {
                body.add(line.trim());
            }
        }
        assertThat(body).as("stage " + name).isNotEmpty();
        return body;
    }
}
