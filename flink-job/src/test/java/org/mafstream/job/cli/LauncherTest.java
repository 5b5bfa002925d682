package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.job.launcher.Tools;

/**
 * The real {@code bin/maf-stream}, run as a process the way a user runs it: its exit statuses and
 * output are the tools' own, with no build tool around them, and relative paths are the caller's.
 * Needs the class path file the build writes before the tests (process-classes).
 */
public class LauncherTest {
    private static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final Path LAUNCHER = REPO.resolve("bin/maf-stream");

    @TempDir
    Path cwd;

    @BeforeAll
    static void needsBash() {
        assumeTrue(onPath("bash"), "bash is not on the PATH: bin/maf-stream is a bash script");
    }

    record Result(int status, String out, String err) {}

    private Result launch(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().remove("MAF_JAVA_OPTS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home")); // the java running these tests
        builder.redirectOutput(cwd.resolve("stdout").toFile()).redirectError(cwd.resolve("stderr").toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/maf-stream " + String.join(" ", args) + " did not end within 90 s");
        }
        return new Result(process.exitValue(), Files.readString(cwd.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(cwd.resolve("stderr"), StandardCharsets.UTF_8));
    }

    private Result launch(String... args) throws IOException, InterruptedException {
        return launch(LAUNCHER, args);
    }

    @Test
    void helpListsEveryCommandOnStandardOutput() throws Exception {
        Result help = launch("--help");
        assertThat(help.status()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: maf-stream COMMAND [options]");
        for (var entry : Tools.COMMANDS.entries()) {
            assertThat(help.out()).contains("  " + entry.name() + " ");
        }
        assertThat(help.err()).isEmpty();
    }

    @Test
    void aToolsHelpIsItsOwn() throws Exception {
        Result help = launch("dead-letters", "--help");
        assertThat(help.status()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: maf-stream dead-letters").contains("--from-beginning", "--json");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void anUnknownOptionEndsWithStatusTwoAndOneParagraphNoStackTraceNoBuildTool() throws Exception {
        for (String[] args : List.of(new String[] {"consume", "--bogus"}, new String[] {"job", "--bogus", "1"},
                new String[] {"export", "--random-init"})) {
            Result run = launch(args);
            assertThat(run.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.out()).as(String.join(" ", args)).isEmpty();
            assertThat(run.err().lines()).as(run.err()).hasSize(2);
            assertThat(run.err()).doesNotContain("\tat ", "Exception", "Command execution failed", "[ERROR]", "BUILD");
        }
    }

    @Test
    void relativePathsAreTakenFromTheCallersWorkingDirectory() throws Exception {
        Files.writeString(cwd.resolve("posts.csv"), "id,text\n");
        String[] cluster = {"produce", "--bootstrap-servers", "localhost:1", "--schema-registry-url", "mock://launcher"};

        // Found where the caller is: the tool gets as far as the file's name...
        Result found = launch(Stream.concat(Stream.of(cluster), Stream.of("posts.csv")).toArray(String[]::new));
        assertThat(found.status()).isEqualTo(2);
        assertThat(found.err()).contains("cannot tell the format of posts.csv from its name");
        // ...and a file that is not there is looked for there, not in the checkout.
        Result missing = launch(Stream.concat(Stream.of(cluster), Stream.of("missing.jsonl")).toArray(String[]::new));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file: missing.jsonl (" + cwd.toRealPath().resolve("missing.jsonl") + ")");
    }

    @Test
    void withoutABuildItSaysHowToBuild() throws Exception {
        Path copy = cwd.resolve("unbuilt/bin/maf-stream");
        Files.createDirectories(copy.getParent());
        Files.copy(LAUNCHER, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Result run = launch(copy, "--help");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("not built yet", "tools.classpath is missing", "mvn -q install -DskipTests");
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }
}
