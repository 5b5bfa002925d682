package org.mafstream.job;

import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.job.io.KafkaIo;
import org.mafstream.job.pipeline.AnnotatePost;
import org.mafstream.job.pipeline.ImageFetchFunction;
import org.mafstream.job.pipeline.PostWithImage;
import org.mafstream.job.pipeline.SplitDeadLetters;
import org.mafstream.job.pipeline.WithoutImages;
import org.mafstream.schemas.PostAnnotations;

/**
 * The maf-stream job: posts from Kafka, their images fetched, MAF run on both, annotations to
 * Kafka; every record the job gives up on goes to the dead-letter topic with its original bytes.
 */
public final class MafStreamJob {
    private MafStreamJob() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobConfig config = JobConfig.fromArgs(args, env.getConfiguration().toMap());
        build(env, config);
        env.execute("maf-stream");
    }

    /** Adds the job graph to {@code env}. Every stateful operator has a stable uid for savepoints. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, UnaryOperator.identity());
    }

    /** As {@link #build(StreamExecutionEnvironment, JobConfig)}, with {@code afterDecode} applied to the decoded posts (fault-injection tests). */
    static void build(StreamExecutionEnvironment env, JobConfig config,
                      UnaryOperator<DataStream<IncomingPost>> afterDecode) {
        enableCheckpoints(env, config);

        DataStream<Either<IncomingPost, DeadLetter>> records = env
                .fromSource(KafkaIo.postSource(config), WatermarkStrategy.noWatermarks(), "posts")
                .uid("posts-source");

        SingleOutputStreamOperator<IncomingPost> posts =
                SplitDeadLetters.split(records, IncomingPost.class, "split-unreadable");

        DataStream<PostWithImage> withImages = fetchImages(afterDecode.apply(posts), config);

        SingleOutputStreamOperator<PostAnnotations> annotations = SplitDeadLetters.split(
                AnnotatePost.annotate(withImages, config.inference()).name("annotate").uid("annotate"),
                PostAnnotations.class, "split-failed-inference");

        annotations.sinkTo(KafkaIo.annotationsSink(config)).name("annotations").uid("annotations-sink");
        posts.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .union(annotations.getSideOutput(SplitDeadLetters.DEAD_LETTERS))
                .sinkTo(KafkaIo.deadLetterSink(config)).name("dead-letters").uid("dead-letters-sink");
    }

    private static DataStream<PostWithImage> fetchImages(DataStream<IncomingPost> posts, JobConfig config) {
        JobConfig.Images images = config.images();
        if (!images.enabled()) {
            return posts.map(new WithoutImages()).name("without-images").uid("without-images");
        }
        return ImageFetchFunction.fetchImages(posts, images.fetch(), images.preprocessing(),
                        config.inference().runtime().bundleDir(), null, images.asyncCapacity(), false)
                .name("fetch-images").uid("fetch-images");
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
