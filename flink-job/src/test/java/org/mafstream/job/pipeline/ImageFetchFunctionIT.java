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
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.fetch.FetchSettings;
import org.mafstream.job.image.ImagePreprocessing;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.job.testing.ImageServer;
import org.mafstream.job.testing.SampleImages;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.Post;

/** The image stage on a MiniCluster: every post comes out once, with the status its image earned. */
class ImageFetchFunctionIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void everyPostComesOutOnceWithItsImageStatus() throws Exception {
        byte[] image = SampleImages.png(50, 40, 11);
        try (ImageServer server = new ImageServer()) {
            server.route("/good.png", png(image))
                    .route("/slow.png", delayed(8_000, png(image))); // /missing.png: 404
            List<IncomingPost> posts = List.of(
                    post(TestPosts.withImageUrl("good", "text", server.url("/good.png"))),
                    post(TestPosts.withImageUrl("good-again", "text", server.url("/good.png"))),
                    post(TestPosts.withImageUrl("missing", "text", server.url("/missing.png"))),
                    post(TestPosts.withImageUrl("slow", "text", server.url("/slow.png"))),
                    post(TestPosts.withImageUrl("metadata", "text", "http://169.254.169.254/latest/meta-data/")),
                    post(inline("inline", image)),
                    post(TestPosts.textOnly("text-only", "no image here")));

            // The fetcher would wait 20 s for /slow.png; Flink's 1.5 s timeout answers first.
            FetchSettings settings = FetchSettings.builder()
                    .allowList(server.allowList())
                    .attemptTimeout(Duration.ofSeconds(20))
                    .totalTimeout(Duration.ofSeconds(20))
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            DataStream<IncomingPost> input = env.fromData(posts, TypeInformation.of(IncomingPost.class));
            DataStream<PostWithImage> withImages = ImageFetchFunction.fetchImages(
                    input, settings, ImagePreprocessing.imagenet224(), null, Duration.ofMillis(1500), 10, false);

            List<PostWithImage> out = new ArrayList<>();
            try (CloseableIterator<PostWithImage> it = withImages.executeAndCollect("image-fetch-test")) {
                it.forEachRemaining(out::add);
            }

            assertThat(out).hasSize(posts.size());
            Map<String, PostWithImage> byId = out.stream()
                    .collect(Collectors.toMap(p -> p.post.post.getPostId(), Function.identity())); // throws on a duplicate
            assertThat(byId.keySet()).containsExactlyInAnyOrder(
                    "good", "good-again", "missing", "slow", "metadata", "inline", "text-only");
            assertThat(byId.get("good").status).isEqualTo(ImageStatus.OK);
            assertThat(byId.get("good").pixels).hasSize(224 * 224 * 3);
            assertThat(byId.get("good-again").status).isEqualTo(ImageStatus.OK);
            assertThat(byId.get("missing").status).isEqualTo(ImageStatus.FETCH_FAILED);
            assertThat(byId.get("slow").status).isEqualTo(ImageStatus.TIMEOUT);
            assertThat(byId.get("slow").pixels).isNull();
            assertThat(byId.get("slow").imageMillis).isEqualTo(1500);
            assertThat(byId.get("metadata").status).isEqualTo(ImageStatus.BLOCKED);
            assertThat(byId.get("inline").status).isEqualTo(ImageStatus.OK);
            assertThat(byId.get("inline").pixels).containsExactly(byId.get("good").pixels);
            assertThat(byId.get("text-only").status).isEqualTo(ImageStatus.NO_IMAGE);
            assertThat(byId.get("text-only").pixels).isNull();
            assertThat(server.hits("/missing.png")).isBetween(1, 2); // once per subtask at most (each has its own cache)
        }
    }

    private static Post inline(String id, byte[] image) {
        Post post = TestPosts.textOnly(id, "text");
        post.setImageBytes(ByteBuffer.wrap(image));
        return post;
    }

    private static IncomingPost post(Post post) {
        return new IncomingPost(post, null, null, "posts", 0, 0, 0, System.currentTimeMillis());
    }
}
