package org.mafstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job's own code depends on the model's contract (module model), on image decoding (module
 * image, whose org.mafstream.image this check lets through) and on none of the tools:
 * the tools' packages are left out of the job jar by the shade plugin, and the exporter's
 * packages (TensorFlow graphs, checkpoints, training) are for the tools and model-export only.
 */
class PackageLayoutTest {
    private static final Path SOURCES = Path.of("src/main/java/org/mafstream/job");
    private static final Pattern REFERENCE = Pattern.compile("org\\.mafstream\\.(job\\.\\w+|model\\.\\w+)\\.[A-Z]");
    private static final List<String> TOOL_PACKAGES = List.of("job.cli", "job.local", "job.bench", "job.launcher");
    private static final List<String> CONTRACT = List.of("model.arch", "model.bundle", "model.text", "model.decode",
            "model.scoring");

    @Test
    void theJobsOwnPackagesUseOnlyTheModelContractAndNoTool() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                if (TOOL_PACKAGES.contains(pkg.isEmpty() ? "" : "job." + pkg.split("\\.")[0])) {
                    continue;
                }
                Matcher reference = REFERENCE.matcher(Files.readString(file));
                while (reference.find()) {
                    String used = reference.group(1);
                    boolean tool = TOOL_PACKAGES.contains(used);
                    boolean exporter = used.startsWith("model.") && !CONTRACT.contains(used);
                    if (tool || exporter) {
                        violations.add(SOURCES.relativize(file) + " uses " + used);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theShadePluginLeavesTheLocalToolsBenchmarksAndLauncherOutOfTheJobJar() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<artifact>org.mafstream:maf-stream-flink-job</artifact>",
                "<exclude>org/mafstream/job/local/**</exclude>", "<exclude>org/mafstream/job/bench/**</exclude>",
                "<exclude>org/mafstream/job/launcher/**</exclude>");
    }
}
