package org.mafstream.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A tool's scratch directory is gone once its JVM has exited, also through {@code System.exit}. */
public class ScratchDirectoriesTest {

    /** Run in a JVM of its own by the test: makes a scratch directory with a file, prints it, exits 3. */
    public static void main(String[] args) throws Exception {
        Path dir = ScratchDirectories.create("maf-scratch-test");
        Files.writeString(Files.createDirectories(dir.resolve("bundle")).resolve("weights.bin"), "x");
        System.out.println(dir);
        System.exit(3);
    }

    @Test
    void theDirectoryIsRemovedWhenTheJvmExits() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ScratchDirectoriesTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.exitValue()).as(printed).isEqualTo(3);
        Path dir = Path.of(printed);
        assertThat(dir.getFileName().toString()).startsWith("maf-scratch-test");
        assertThat(dir).doesNotExist();
    }
}
