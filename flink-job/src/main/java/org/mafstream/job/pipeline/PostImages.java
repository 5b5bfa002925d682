package org.mafstream.job.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mafstream.job.fetch.ImageFetcher;
import org.mafstream.job.fetch.ImageResult;
import org.mafstream.job.inference.MafRuntime;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.Post;

/**
 * The image half of the inference stage, one per subtask: region cache, then fetch and decode,
 * then the image batch. The regions of a URL are cached, so a repost skips both the fetch and
 * the image model; a post's image tensor lives only in memory while its post is in flight
 * (never in Flink state), and a retry reads it from there.
 */
final class PostImages implements AutoCloseable {
    private final ImageFetcher fetcher;
    private final MafRuntime runtime;
    private final Cache<String, float[]> regionsByUrl;
    private final long fetchLimitMillis;

    /**
     * What a post's image gives the model: its status and, when OK, its tensor or the regions
     * cached for its URL.
     */
    record PostImage(ImageStatus status, float[] pixels, float[] cachedRegions, String url, long millis) {
        static PostImage without(ImageStatus status) {
            return new PostImage(status, null, null, null, 0);
        }
    }

    /**
     * @param fetcher null when images are disabled: every post is read without its image (SKIPPED)
     * @param fetchLimit the longest a fetch may take before the post goes on without its image
     *     (TIMEOUT); the fetcher keeps its own budget, this is the belt to its braces
     */
    PostImages(ImageFetcher fetcher, MafRuntime runtime, long regionCacheBytes, Duration fetchLimit) {
        this.fetcher = fetcher;
        this.runtime = runtime;
        this.fetchLimitMillis = fetchLimit.toMillis();
        this.regionsByUrl = Caffeine.newBuilder()
                .maximumWeight(regionCacheBytes)
                .weigher((String url, float[] regions) -> regions.length * Float.BYTES)
                .build();
    }

    /** The post's image: from the region cache, or fetched (or read inline) and decoded. Never fails. */
    CompletableFuture<PostImage> load(Post post) {
        boolean hasImage = post.getImageUrl() != null || post.getImageBytes() != null;
        if (fetcher == null) {
            return CompletableFuture.completedFuture(PostImage.without(hasImage ? ImageStatus.SKIPPED : ImageStatus.NO_IMAGE));
        }
        // Inline bytes win over the URL (the schema says so), so only a URL-only post is cached.
        String url = post.getImageBytes() == null && post.getImageUrl() != null && !post.getImageUrl().isBlank()
                ? post.getImageUrl() : null;
        float[] cached = url == null ? null : regionsByUrl.getIfPresent(url);
        if (cached != null) {
            return CompletableFuture.completedFuture(new PostImage(ImageStatus.OK, null, cached, url, 0));
        }
        return fetcher.load(post.getImageUrl(), post.getImageBytes())
                .handle((result, error) -> error == null ? image(result, url)
                        : new PostImage(ImageStatus.FETCH_FAILED, null, null, null, 0))
                .completeOnTimeout(new PostImage(ImageStatus.TIMEOUT, null, null, null, fetchLimitMillis),
                        fetchLimitMillis, TimeUnit.MILLISECONDS);
    }

    /** The regions the text model reads the post with; null without a usable image. */
    CompletableFuture<float[]> regions(PostImage image) throws InterruptedException {
        if (image.status() != ImageStatus.OK) {
            return CompletableFuture.completedFuture(null);
        }
        if (image.cachedRegions() != null) {
            return CompletableFuture.completedFuture(image.cachedRegions());
        }
        if (!runtime.manifest().hasImageEncoder()) {
            // A text-only bundle reads no image (the fetcher only checked it): the post has one,
            // so it still gets the model's retain score, computed with the neutral regions.
            return CompletableFuture.completedFuture(runtime.bundle().neutralRegions());
        }
        return runtime.encodeImage(image.pixels()).thenApply(regions -> {
            if (image.url() != null) {
                regionsByUrl.put(image.url(), regions);
            }
            return regions;
        });
    }

    private static PostImage image(ImageResult result, String url) {
        return new PostImage(result.status(), result.tensor(), null, result.status() == ImageStatus.OK ? url : null,
                result.fetchMillis());
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
        }
        regionsByUrl.invalidateAll();
    }
}
