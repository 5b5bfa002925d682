package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mafstream.job.launcher.Tools;

/**
 * Every class with a main in the project is a command of bin/maf-stream, so that none is left
 * with a command line of its own (the issue found five parsers). A new main fails this test until
 * it is added to {@link Tools} and here.
 */
public class EveryMainIsALauncherCommandTest {
    private static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final Pattern MAIN = Pattern.compile("static\\s+void\\s+main\\s*\\(");

    /** Each main's class and the launcher command that runs it. */
    private static final Map<String, String> COMMAND_OF = Map.ofEntries(
            Map.entry("org.mafstream.job.MafStreamJob", "job"),
            Map.entry("org.mafstream.job.local.LocalDemo", "demo"),
            Map.entry("org.mafstream.job.local.LocalStack", "local"),
            Map.entry("org.mafstream.job.cli.ProducePosts", "produce"),
            Map.entry("org.mafstream.job.cli.ConsumeAnnotations", "consume"),
            Map.entry("org.mafstream.job.cli.ReadDeadLetters", "dead-letters"),
            Map.entry("org.mafstream.job.cli.EvaluateModel", "evaluate"),
            Map.entry("org.mafstream.job.bench.SoakRun", "soak"),
            Map.entry("org.mafstream.job.bench.JobBenchmark", "bench job"),
            Map.entry("org.mafstream.job.bench.InferenceBenchmark", "bench inference"),
            Map.entry("org.mafstream.job.bench.ImageFetchBenchmark", "bench fetch"),
            Map.entry("org.mafstream.job.bench.BertGraphBenchmark", "bench bert"),
            Map.entry("org.mafstream.job.bench.TrainingBenchmark", "bench train"),
            Map.entry("org.mafstream.job.launcher.Tools", ""), // the launcher itself
            Map.entry("org.mafstream.model.export.ModelExport", "export"));

    @Test
    void everyMainInTheSourcesIsKnownHereAndItsCommandIsInTheLaunchersTable() throws IOException {
        Set<String> mains = new TreeSet<>();
        // Every module of the root POM (cli, schemas, model, image, model-export, flink-job).
        List<String> modules = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(REPO.resolve("pom.xml")))
                .results().map(m -> m.group(1)).toList();
        assertThat(modules).as("modules of the root POM").contains("image", "model-export", "flink-job");
        for (String module : modules) {
            Path sources = REPO.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher matcher = MAIN.matcher(Files.readString(file));
                    if (matcher.find()) {
                        String name = sources.relativize(file).toString().replace('/', '.');
                        mains.add(name.substring(0, name.length() - ".java".length()));
                    }
                }
            }
        }
        assertThat(mains).as("classes with a main").containsExactlyInAnyOrderElementsOf(COMMAND_OF.keySet());

        for (String command : COMMAND_OF.values()) {
            if (command.isEmpty()) {
                continue;
            }
            String[] words = command.split(" ");
            var table = words.length == 2 ? Tools.BENCH : Tools.COMMANDS;
            assertThat(table.find(words[words.length - 1])).as(command).isPresent();
        }
    }

    @Test
    void theHeapSizesOfTheLauncherScriptNameItsCommands() throws IOException {
        // bin/maf-stream sizes the heap by command before java starts: `  demo|local|soak|job) heap=-Xmx2g ;;`
        Matcher cases = Pattern.compile("(?m)^\\s+([a-z|-]+)\\)\\s").matcher(Files.readString(REPO.resolve("bin/maf-stream")));
        Set<String> named = new TreeSet<>();
        while (cases.find()) {
            named.addAll(List.of(cases.group(1).split("\\|")));
        }
        assertThat(named).contains("demo", "evaluate", "fine-tune");
        for (String command : named) {
            assertThat(Tools.COMMANDS.find(command)).as("bin/maf-stream sizes the heap of " + command).isPresent();
        }
    }
}
