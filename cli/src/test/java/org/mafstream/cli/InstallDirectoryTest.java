package org.mafstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InstallDirectoryTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(InstallDirectory.PROPERTY);
    }

    @Test
    void theLaunchersPropertyWins() {
        System.setProperty(InstallDirectory.PROPERTY, "/opt/maf-stream/./");
        assertThat(InstallDirectory.of(InstallDirectoryTest.class)).isEqualTo(Path.of("/opt/maf-stream"));
        assertThat(InstallDirectory.resolve(InstallDirectoryTest.class, "flink-job/src/demo/posts.jsonl"))
                .isEqualTo(Path.of("/opt/maf-stream/flink-job/src/demo/posts.jsonl"));
    }

    @Test
    void withoutItTheCheckoutAboveTheClassFilesIsFound() {
        // These classes are in cli/target/test-classes of the checkout, whose root holds bin/maf-stream.
        Path home = InstallDirectory.of(InstallDirectoryTest.class);
        assertThat(home.resolve(InstallDirectory.LAUNCHER)).isRegularFile();
        assertThat(home.resolve("cli/pom.xml")).isRegularFile();
    }

    @Test
    void classesOutsideACheckoutFallBackToTheWorkingDirectory() {
        // JDK classes have no code source.
        assertThat(InstallDirectory.of(String.class)).isEqualTo(Path.of("").toAbsolutePath());
    }
}
