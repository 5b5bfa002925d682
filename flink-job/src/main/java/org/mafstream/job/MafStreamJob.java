package org.mafstream.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.job.io.KafkaIo;
import org.mafstream.job.pipeline.AnnotatePost;
import org.mafstream.job.pipeline.SplitDeadLetters;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.schemas.PostAnnotations;

/**
 * The maf-stream job: posts from Kafka; each post's image fetched and MAF run on both in one
 * async stage; annotations to Kafka. A record whose own content cannot be read or run goes to
 * the dead-letter topic with its original bytes; anything else (load, a broken model, an
 * outage) back-pressures or fails the task, which restarts from its checkpoint.
 */
public final class MafStreamJob {
    private MafStreamJob() {}

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            // Options it cannot run with: the one-paragraph message was printed; a non-zero exit
            // says so to the launcher, `flink run` and a container alike, without a stack trace.
            System.exit(status);
        }
    }

    /**
     * Builds and runs the job; {@code --help} prints the options instead (status 0), options it
     * cannot run with are explained on {@code err} (status 2).
     */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ToolCommandLine.Startup<JobConfig> startup = JobCommandLine.COMMAND_LINE.settings("maf-stream job", args,
                parsed -> requireModelBundle(JobConfig.fromArgs(parsed, env.getConfiguration().toMap())), out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        build(env, startup.settings());
        env.execute("maf-stream");
        return 0;
    }

    /** Adds the job graph to {@code env}. Every stateful operator has a stable uid for savepoints. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, UnaryOperator.identity());
    }

    /** As {@link #build(StreamExecutionEnvironment, JobConfig)}, with {@code afterDecode} applied to the decoded posts (fault-injection tests). */
    static void build(StreamExecutionEnvironment env, JobConfig config,
                      UnaryOperator<DataStream<IncomingPost>> afterDecode) {
        requireModelBundle(config);
        enableCheckpoints(env, config);

        DataStream<Either<IncomingPost, DeadLetter>> records = env
                .fromSource(KafkaIo.postSource(config), WatermarkStrategy.noWatermarks(), "posts")
                .uid("posts-source");

        SingleOutputStreamOperator<IncomingPost> posts =
                SplitDeadLetters.split(records, IncomingPost.class, "split-unreadable");

        SingleOutputStreamOperator<PostAnnotations> annotations = SplitDeadLetters.split(
                AnnotatePost.annotate(afterDecode.apply(posts), config.images(), config.inference())
                        .name("annotate").uid("annotate-posts"),
                PostAnnotations.class, "split-failed-inference");

        annotations.sinkTo(KafkaIo.annotationsSink(config)).name("annotations").uid("annotations-sink");
        posts.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .union(annotations.getSideOutput(SplitDeadLetters.DEAD_LETTERS))
                .sinkTo(KafkaIo.deadLetterSink(config)).name("dead-letters").uid("dead-letters-sink");
    }

    /**
     * A job whose model is missing would restart every few seconds forever, each time failing in
     * the inference stage's open(): say so once, now, naming the path. (The bundle must be
     * readable where the job is built too, as it is in the Compose and Kubernetes deployments.)
     */
    private static JobConfig requireModelBundle(JobConfig config) {
        String bundle = config.inference().runtime().bundleDir();
        try {
            BundleManifest.read(Path.of(bundle));
        } catch (IOException | RuntimeException e) {
            throw new UsageException("Option " + JobOptions.MODEL_BUNDLE.key() + ": " + bundle
                    + " is not a readable model bundle (" + e.getMessage() + "); write one with model-export", e);
        }
        return config;
    }

    /**
     * Kafka transactions commit, and source offsets are committed, on checkpoints: without them
     * exactly-once output would never become visible. The Flink configuration's interval wins.
     */
    private static void enableCheckpoints(StreamExecutionEnvironment env, JobConfig config) {
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            env.enableCheckpointing(config.checkpointInterval().toMillis());
        }
    }
}
