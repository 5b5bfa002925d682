package org.mafstream.job.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.mafstream.job.fetch.FetchSettings;
import org.mafstream.job.fetch.ImageFetcher;
import org.mafstream.job.fetch.ImageResult;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.job.image.ImagePreprocessing;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.Post;

/**
 * The image stage: each post comes out exactly once, with its image tensor or the reason it has
 * none. The {@link ImageFetcher} (one per subtask, built in {@link #open}) does the work; this
 * class only adapts it to Flink's async I/O. When Flink's timeout fires first, the post goes on
 * with {@link ImageStatus#TIMEOUT}; the fetch still finishes in the background and fills the cache.
 *
 * <p>Use {@link #fetchImages}, which sets Flink's timeout a little above the fetcher's own
 * {@code totalTimeout} unless told otherwise, so the fetcher's more precise status normally wins.
 */
public class ImageFetchFunction extends RichAsyncFunction<IncomingPost, PostWithImage> {
    private static final long serialVersionUID = 1L;

    private final FetchSettings settings;
    private final ImagePreprocessing preprocessing;
    private final long timeoutMillis;
    private final String modelBundle;
    private transient ImageFetcher fetcher;
    private transient FlinkFetchMetrics metrics;

    /**
     * @param modelBundle the model bundle the posts go to: if its manifest says it reads no images
     *     (a text-only bundle), images are checked but not resized; null: every image is tensorized
     */
    public ImageFetchFunction(FetchSettings settings, ImagePreprocessing preprocessing, String modelBundle,
                              Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.modelBundle = modelBundle;
        this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * Adds the image stage after {@code posts}.
     *
     * @param modelBundle see {@link #ImageFetchFunction}; null: every image is tensorized
     * @param timeout Flink's limit per post; null: the fetcher's {@code totalTimeout} plus 5 s for decoding
     * @param capacity posts in flight per subtask (Flink's async capacity); back-pressure beyond it
     * @param ordered keep the input order (a slow image then holds up the posts behind it)
     */
    public static SingleOutputStreamOperator<PostWithImage> fetchImages(
            DataStream<IncomingPost> posts, FetchSettings settings, ImagePreprocessing preprocessing,
            String modelBundle, Duration timeout, int capacity, boolean ordered) {
        Duration limit = timeout != null ? timeout : settings.totalTimeout().plusSeconds(5);
        ImageFetchFunction function = new ImageFetchFunction(settings, preprocessing, modelBundle, limit);
        return ordered
                ? AsyncDataStream.orderedWait(posts, function, limit.toMillis(), TimeUnit.MILLISECONDS, capacity)
                : AsyncDataStream.unorderedWait(posts, function, limit.toMillis(), TimeUnit.MILLISECONDS, capacity);
    }

    @Override
    public void open(OpenContext context) throws IOException {
        metrics = new FlinkFetchMetrics(getRuntimeContext().getMetricGroup());
        // What the model never reads is not computed: a text-only bundle gets checked images only.
        boolean tensors = modelBundle == null || BundleManifest.read(Path.of(modelBundle)).hasImageEncoder();
        fetcher = ImageFetcher.builder(settings, preprocessing).metrics(metrics).tensors(tensors).build();
    }

    @Override
    public void asyncInvoke(IncomingPost in, ResultFuture<PostWithImage> out) {
        Post post = in.post;
        fetcher.load(post.getImageUrl(), post.getImageBytes()).whenComplete((result, error) -> {
            // The fetcher never fails its futures; this is the belt to its braces.
            ImageResult r = error == null ? result : ImageResult.failed(ImageStatus.FETCH_FAILED, error.toString(), true);
            // Reposts share the URL: it keys the inference stage's cache of image regions.
            String imageKey = r.status() == ImageStatus.OK && post.getImageBytes() == null ? post.getImageUrl() : null;
            out.complete(List.of(new PostWithImage(in, r.status(), r.tensor(), imageKey, r.fetchMillis())));
        });
    }

    @Override
    public void timeout(IncomingPost in, ResultFuture<PostWithImage> out) {
        metrics.onAsyncTimeout();
        out.complete(List.of(new PostWithImage(in, ImageStatus.TIMEOUT, null, null, timeoutMillis)));
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
        }
    }
}
