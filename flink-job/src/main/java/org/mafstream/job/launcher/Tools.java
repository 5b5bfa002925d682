package org.mafstream.job.launcher;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mafstream.cli.CommandTable.Command;
import org.mafstream.cli.CommandTable.Entry;
import org.mafstream.cli.CommandTable;
import org.mafstream.cli.InstallDirectory;
import org.mafstream.job.MafStreamJob;
import org.mafstream.job.bench.BertGraphBenchmark;
import org.mafstream.job.bench.ImageFetchBenchmark;
import org.mafstream.job.bench.InferenceBenchmark;
import org.mafstream.job.bench.JobBenchmark;
import org.mafstream.job.bench.SoakRun;
import org.mafstream.job.bench.TrainingBenchmark;
import org.mafstream.job.cli.ConsumeAnnotations;
import org.mafstream.job.cli.EvaluateModel;
import org.mafstream.job.cli.ProducePosts;
import org.mafstream.job.cli.ReadDeadLetters;
import org.mafstream.job.local.LocalDemo;
import org.mafstream.job.local.LocalStack;
import org.mafstream.job.local.StopSignal;
import org.mafstream.model.export.ModelExport;

/**
 * What {@code bin/maf-stream COMMAND} runs: the table of commands, each a tool's {@code run}, with
 * its logging set up first. The script only finds the class path and sizes the heap.
 */
public final class Tools {
    /** Logging: the in-JVM services' noise (warnings included) hidden, or warnings on standard error. */
    private enum Logging {
        DEMO("flink-job/src/demo/log4j2-demo.properties"),
        /** The local stack's: its standard output carries only its own lines (addresses, commands). */
        LOCAL("flink-job/src/demo/log4j2-local.properties"),
        TOOLS("flink-job/src/demo/log4j2-tools.properties");

        final String file;

        Logging(String file) {
            this.file = file;
        }
    }

    private record Tool(Logging logging, Command command) {}

    public static final CommandTable BENCH = new CommandTable("maf-stream bench", "", List.of(
            entry("job", "the whole job against the bare model on the same posts", Logging.DEMO, JobBenchmark::run),
            entry("inference", "MAF inference: BERT graphs, full MAF, the text-only model (about 4 min)", Logging.DEMO,
                    InferenceBenchmark::run),
            entry("fetch", "image fetching and decoding at 0, 50 and 200 ms server latency", Logging.DEMO,
                    ImageFetchBenchmark::run),
            entry("bert", "Google's BERT graph against MAF's, same weights", Logging.DEMO, BertGraphBenchmark::run),
            entry("train", "full-size MAF training steps (random weights): throughput, memory, FLOPs", Logging.DEMO,
                    TrainingBenchmark::run)));

    public static final CommandTable COMMANDS = new CommandTable("maf-stream", """
            Each command answers --help with its options; unknown options are refused. Relative paths
            are taken from the directory you run it in. Exit status: the command's own (0 done,
            1 failed or partly failed, 2 could not run).""", List.of(
            entry("demo", "the one-command demo: in-JVM Kafka, registry, image server and Flink run the job",
                    Logging.DEMO, LocalDemo::run),
            entry("local", "a local stack to point your own producers and consumers at, until Ctrl-C", Logging.LOCAL,
                    (args, out, err) -> LocalStack.run(args, out, err, StopSignal.onInterruptOrTerminate())),
            entry("produce", "write posts from JSON Lines or CoNLL files to a topic", Logging.TOOLS,
                    (args, out, err) -> ProducePosts.run(args, System.in, out, err)),
            entry("consume", "print the annotations topic as JSON Lines (read_committed)", Logging.TOOLS,
                    (args, out, err) -> ConsumeAnnotations.run(args, System.in, utf8(out), err)),
            entry("dead-letters", "print the dead-letter topic: reason, error, source, key, size", Logging.TOOLS,
                    (args, out, err) -> ReadDeadLetters.run(args, System.in, utf8(out), err)),
            entry("evaluate", "score a model bundle on a CoNLL file through the job's runtime", Logging.TOOLS,
                    EvaluateModel::run),
            new Entry("bench", "KIND", "a benchmark; KIND is job, inference, fetch, bert or train (bench --help)", BENCH::run),
            entry("soak", "a bounded soak of the whole job, with the accounting", Logging.DEMO, SoakRun::run),
            entry("export", "a model bundle from an original MAF checkpoint, or a random MAF", Logging.TOOLS,
                    ModelExport::run),
            entry("assemble", "the trained text-only bundle (or one from your heads)", Logging.TOOLS,
                    (args, out, err) -> ModelExport.run(prepend("assemble", args), out, err)),
            entry("train", "train MAF's text-only heads on frozen BERT features", Logging.TOOLS,
                    (args, out, err) -> ModelExport.run(prepend("train", args), out, err)),
            entry("fine-tune", "fine-tune BERT and MAF's text head", Logging.TOOLS,
                    (args, out, err) -> ModelExport.run(prepend("fine-tune", args), out, err)),
            entry("train-maf", "train the whole MAF with the original's objective, images included", Logging.TOOLS,
                    (args, out, err) -> ModelExport.run(prepend("train-maf", args), out, err)),
            entry("job", "run the job on a local Flink with Flink-style --key value options", Logging.TOOLS,
                    MafStreamJob::run)));

    private Tools() {}

    public static void main(String[] args) throws Exception {
        System.exit(COMMANDS.run(args, System.out, System.err)); // the tools leave non-daemon threads (Kafka, Flink)
    }

    private static Entry entry(String name, String summary, Logging logging, Command command) {
        return new Entry(name, summary, logged(logging, command));
    }

    /** Sets the log4j configuration before the tool's classes are loaded, unless the user set one. */
    private static Command logged(Logging logging, Command command) {
        return (args, out, err) -> {
            if (System.getProperty("log4j2.configurationFile") == null) {
                Path config = InstallDirectory.resolve(Tools.class, logging.file);
                if (Files.isRegularFile(config)) {
                    System.setProperty("log4j2.configurationFile", config.toString());
                }
            }
            return command.run(args, out, err);
        };
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** JSON Lines are UTF-8 whatever the platform's default encoding. */
    private static PrintStream utf8(PrintStream out) {
        return out == System.out
                ? new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)), true, StandardCharsets.UTF_8)
                : out;
    }
}
