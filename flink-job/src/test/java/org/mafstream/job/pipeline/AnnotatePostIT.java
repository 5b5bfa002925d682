package org.mafstream.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mafstream.job.testing.ImageServer.delayed;
import static org.mafstream.job.testing.ImageServer.png;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.SubtaskStateStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.job.JobConfig;
import org.mafstream.job.fetch.FetchSettings;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.job.testing.ImageServer;
import org.mafstream.job.testing.SampleImages;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TinyBundle;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.Post;
import org.mafstream.schemas.PostAnnotations;

/**
 * The fused inference stage (fetch, decode, image model, text model) of the full tiny MAF on a
 * MiniCluster: every post comes out once, annotated with the status its image earned, and what
 * the stage checkpoints is the small post, never its image tensor.
 */
class AnnotatePostIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void everyPostIsAnnotatedOnceWithTheStatusItsImageEarned() throws Exception {
        byte[] image = SampleImages.png(50, 40, 11);
        try (ImageServer server = new ImageServer()) {
            server.route("/good.png", png(image))
                    .route("/slow.png", delayed(8_000, png(image))); // /missing.png: 404
            List<IncomingPost> posts = List.of(
                    post(TestPosts.withImageUrl("good", "Kevin Durant at Oracle Arena", server.url("/good.png"))),
                    post(TestPosts.withImageUrl("good-again", "Kevin Durant again", server.url("/good.png"))),
                    post(TestPosts.withImageUrl("missing", "text", server.url("/missing.png"))),
                    post(TestPosts.withImageUrl("slow", "text", server.url("/slow.png"))),
                    post(TestPosts.withImageUrl("metadata", "text", "http://169.254.169.254/latest/meta-data/")),
                    post(inline("inline", image)),
                    post(TestPosts.textOnly("text-only", "no image here")));

            // The fetcher's 1.5 s budget answers /slow.png with TIMEOUT; the post goes on without it.
            FetchSettings fetch = FetchSettings.builder()
                    .allowList(server.allowList())
                    .attemptTimeout(Duration.ofMillis(1500))
                    .totalTimeout(Duration.ofMillis(1500))
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            DataStream<Either<PostAnnotations, DeadLetter>> out = AnnotatePost.annotate(
                    env.fromData(posts, TypeInformation.of(IncomingPost.class)), images(fetch), inference(16));

            List<PostAnnotations> annotations = new ArrayList<>();
            try (CloseableIterator<Either<PostAnnotations, DeadLetter>> it = out.executeAndCollect("annotate-post-test")) {
                it.forEachRemaining(either -> {
                    assertThat(either.isLeft()).as("no dead letter: %s", either).isTrue();
                    annotations.add(either.left());
                });
            }

            Map<String, PostAnnotations> byId = annotations.stream()
                    .collect(Collectors.toMap(PostAnnotations::getPostId, Function.identity())); // throws on a duplicate
            assertThat(byId.keySet()).containsExactlyInAnyOrder(
                    "good", "good-again", "missing", "slow", "metadata", "inline", "text-only");
            Map<String, ImageStatus> statuses = byId.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getImageStatus()));
            assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "good", ImageStatus.OK, "good-again", ImageStatus.OK, "missing", ImageStatus.FETCH_FAILED,
                    "slow", ImageStatus.TIMEOUT, "metadata", ImageStatus.BLOCKED, "inline", ImageStatus.OK,
                    "text-only", ImageStatus.NO_IMAGE));
            // The image branch is live: a post with a usable image has a retain score, one without has none.
            for (String withImage : List.of("good", "good-again", "inline")) {
                assertThat(byId.get(withImage).getRetainScore()).as(withImage).isNotNull().isBetween(0f, 1f);
            }
            for (String withoutImage : List.of("missing", "slow", "metadata", "text-only")) {
                assertThat(byId.get(withoutImage).getRetainScore()).as(withoutImage).isNull();
            }
            assertThat(byId.get("slow").getTimings().getImageMillis()).isBetween(1_400L, 7_000L);
            assertThat(server.hits("/good.png")).as("once per subtask at most (region cache)").isBetween(1, 2);
        }
    }

    @Test
    void withImagesAndCapacity128TheCheckpointedStatePerSubtaskStaysUnderOneMegabyte(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        byte[] image = SampleImages.png(300, 200, 5);
        try (ImageServer server = new ImageServer()) {
            server.route("/slow.png", delayed(2_000, png(image)));
            // 128 posts, each with its own URL, all in flight at once while their images are slow.
            List<IncomingPost> posts = IntStream.range(0, 128)
                    .mapToObj(i -> post(TestPosts.withImageUrl("p" + i, "Kevin Durant at Oracle Arena " + i,
                            server.url("/slow.png?n=" + i))))
                    .toList();
            FetchSettings fetch = FetchSettings.builder().allowList(server.allowList())
                    .maxConcurrency(16).maxPerHost(16).attemptTimeout(Duration.ofSeconds(30))
                    .totalTimeout(Duration.ofSeconds(60)).build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.enableCheckpointing(300);
            AnnotatePost.annotate(env.fromData(posts, TypeInformation.of(IncomingPost.class)), images(fetch), inference(128))
                    .sinkTo(new DiscardingSink<>());
            JobClient job = env.executeAsync("annotate-post-state");
            JobID id = job.getJobID();
            job.getJobExecutionResult().get();

            List<AbstractCheckpointStats> completed = cluster.getArchivedExecutionGraph(id).get()
                    .getCheckpointStatsSnapshot().getHistory().getCheckpoints().stream()
                    .filter(c -> c.getStatus() == CheckpointStatsStatus.COMPLETED).toList();
            assertThat(completed).as("checkpoints taken while posts were in flight").isNotEmpty();
            long largestSubtask = 0;
            for (AbstractCheckpointStats checkpoint : completed) {
                for (TaskStateStats task : checkpoint.getAllTaskStateStats()) {
                    for (SubtaskStateStats subtask : task.getSubtaskStats()) {
                        if (subtask != null) {
                            largestSubtask = Math.max(largestSubtask, subtask.getStateSize());
                        }
                    }
                }
            }
            // Each image tensor alone is 602 KB; the posts themselves are a few hundred bytes.
            assertThat(largestSubtask).as("largest state of one subtask in any checkpoint")
                    .isGreaterThan(1_000).isLessThan(1 << 20);
        }
    }

    private static JobConfig.Images images(FetchSettings fetch) {
        return new JobConfig.Images(true, fetch, ImagePreprocessing.imagenet224());
    }

    private static JobConfig.Inference inference(int capacity) {
        return new JobConfig.Inference(InferenceSettings.cpu(TinyBundle.path().toString()), capacity,
                Duration.ofMinutes(5), 1, 64L << 20);
    }

    private static Post inline(String id, byte[] image) {
        Post post = TestPosts.textOnly(id, "Kevin Durant inline");
        post.setImageBytes(ByteBuffer.wrap(image));
        return post;
    }

    private static IncomingPost post(Post post) {
        return new IncomingPost(post, post.getPostId().getBytes(), new byte[64], "posts", 0, 0, 0, System.currentTimeMillis());
    }
}
