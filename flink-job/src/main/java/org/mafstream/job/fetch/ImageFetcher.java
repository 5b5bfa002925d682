package org.mafstream.job.fetch;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.mafstream.image.ImageDecoder;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.image.ImageRejectedException;
import org.mafstream.image.ImageRejection;
import org.mafstream.image.ImageTensorizer;
import org.mafstream.schemas.ImageStatus;

/**
 * A post's image to the model's tensor: fetched over HTTP ({@link HttpImageDownloader}) or taken
 * from the post's inline bytes, then decoded and tensorized by {@link ImageTensorizer} on a
 * small pool of decode threads (never on the HTTP client's I/O threads). URL results are cached
 * by normalized URL ({@link TensorCache}); concurrent requests for one URL share one fetch.
 *
 * <p>Every returned future completes normally, with an {@link ImageResult} whose status is one of
 * the output schema's: bad input never throws. And it completes within {@code totalTimeout}
 * (TIMEOUT at the latest then), whatever servers, name servers and images do: each request has a
 * hard deadline on a thread of its own ({@link Deadlines}). Thread-safe; close it to stop its threads.
 */
public final class ImageFetcher implements AutoCloseable {
    /** After the deadline, how long the download's and the decoder's own TIMEOUT may take before the guard's. */
    private static final long GUARD_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private final FetchSettings settings;
    private final ImageTensorizer tensorizer;
    private final FetchMetrics metrics;
    private final HttpImageDownloader downloader;
    private final TensorCache cache;
    private final ExecutorService decoders;
    private final Deadlines deadlines = new Deadlines();
    private final boolean tensors;

    private ImageFetcher(FetchSettings settings, ImagePreprocessing preprocessing, HostResolver resolver,
                         SslContextFactory.Client tls, FetchMetrics metrics, boolean tensors) {
        this.settings = settings;
        this.tensors = tensors;
        this.tensorizer = new ImageTensorizer(new ImageDecoder(settings.imageLimits()), preprocessing);
        this.metrics = metrics;
        this.downloader = new HttpImageDownloader(settings, resolver, tls, metrics, deadlines);
        this.cache = settings.cacheMaxBytes() == 0 ? null
                : new TensorCache(settings.cacheMaxBytes(), settings.cacheTtl(), settings.negativeTtl(), settings.transientTtl());
        this.decoders = decodePool(settings.decodeThreads());
    }

    public static Builder builder(FetchSettings settings, ImagePreprocessing preprocessing) {
        return new Builder(settings, preprocessing);
    }

    /**
     * The image of a post: inline bytes win over the URL, as the schema says. Empty bytes and a
     * blank URL count as absent; neither present is NO_IMAGE.
     */
    public CompletableFuture<ImageResult> load(String url, ByteBuffer inlineBytes) {
        if (inlineBytes != null && inlineBytes.hasRemaining()) {
            byte[] bytes = new byte[inlineBytes.remaining()];
            inlineBytes.duplicate().get(bytes);
            return fromBytes(bytes);
        }
        if (url != null && !url.isBlank()) {
            return fetch(url);
        }
        metrics.onRequest();
        return CompletableFuture.completedFuture(report(ImageResult.noImage(), System.nanoTime(), false));
    }

    /**
     * Fetches, decodes and tensorizes the image at {@code url}, or answers from the cache. A null
     * URL is a malformed one (FETCH_FAILED), like any other that cannot be requested.
     */
    public CompletableFuture<ImageResult> fetch(String url) {
        long start = System.nanoTime();
        metrics.onRequest();
        FetchUrl parsed;
        try {
            parsed = FetchUrl.parse(url, settings.maxUrlLength());
        } catch (UrlRefusedException e) {
            return CompletableFuture.completedFuture(report(ImageResult.failed(e.status(), e.getMessage(), false), start, false));
        }
        long deadline = start + settings.totalTimeout().toNanos();
        if (cache == null) {
            metrics.onCacheMiss();
            return fetchAndDecode(parsed, deadline).thenApply(r -> report(r, start, false));
        }
        TensorCache.Lookup lookup = cache.get(parsed.key(), () -> fetchAndDecode(parsed, deadline));
        if (lookup.hit()) {
            metrics.onCacheHit();
        } else {
            metrics.onCacheMiss();
        }
        return lookup.result().thenApply(r -> report(r, start, lookup.hit()));
    }

    /** Inline image bytes: no fetch, no cache, the same decoder checks and the same time budget. */
    public CompletableFuture<ImageResult> fromBytes(byte[] bytes) {
        long start = System.nanoTime();
        metrics.onRequest();
        long deadline = start + settings.totalTimeout().toNanos();
        return guarded(decode(bytes, "inline bytes", () -> {}, deadline), deadline).thenApply(r -> report(r, start, false));
    }

    /** Counters for tests and benchmarks. */
    public FetchStats stats() {
        int[] bodies = downloader.bodiesInMemory();
        int[] permits = downloader.permits();
        return new FetchStats(downloader.exchanges(), bodies[0], bodies[1], permits[1],
                cache == null ? 0 : cache.weightedBytes(), cache == null ? 0 : cache.entries());
    }

    public FetchSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        downloader.close();
        decoders.shutdownNow();
        deadlines.close();
        if (cache != null) {
            cache.clear();
        }
    }

    private CompletableFuture<ImageResult> fetchAndDecode(FetchUrl url, long deadlineNanos) {
        return guarded(downloader.download(url, deadlineNanos).thenCompose(d -> d.hasBody()
                ? decode(d.body(), d.detail(), d::release, deadlineNanos)
                : CompletableFuture.completedFuture(d.asFailure())), deadlineNanos);
    }

    /**
     * The last line of the time budget: the download and the decode each end at the deadline with
     * their own, more precise, status; should either fail to (a decoder that never looks at its
     * clock), the result is TIMEOUT shortly after the deadline all the same.
     */
    private CompletableFuture<ImageResult> guarded(CompletableFuture<ImageResult> work, long deadlineNanos) {
        if (work.isDone()) {
            return work;
        }
        CompletableFuture<ImageResult> guarded = new CompletableFuture<>();
        Future<?> timer = deadlines.at(deadlineNanos + GUARD_GRACE_NANOS, () -> guarded.complete(ImageResult.failed(
                ImageStatus.TIMEOUT, "no result within the time budget of " + settings.totalTimeout().toMillis() + " ms", true)));
        work.whenComplete((result, failure) -> {
            timer.cancel(false);
            guarded.complete(result != null ? result
                    : ImageResult.failed(ImageStatus.FETCH_FAILED, "image fetch failed: " + failure, true));
        });
        return guarded;
    }

    /**
     * Decodes on a decode thread by the request's deadline: the time budget covers waiting for a
     * thread and the decode itself, so images queued behind slow ones end on time (TIMEOUT)
     * instead of late, and a decode is stopped when the budget runs out.
     */
    private CompletableFuture<ImageResult> decode(byte[] bytes, String source, Runnable release, long deadlineNanos) {
        CompletableFuture<ImageResult> result = new CompletableFuture<>();
        long queued = System.nanoTime();
        try {
            decoders.execute(() -> {
                ImageResult decoded;
                try {
                    if (System.nanoTime() - deadlineNanos >= 0) {
                        decoded = ImageResult.failed(ImageStatus.TIMEOUT, "no time left to decode after waiting "
                                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queued) + " ms for a decode thread", true);
                    } else {
                        decoded = ImageResult.ok(tensors ? tensorizer.toTensor(bytes, deadlineNanos)
                                : tensorizer.check(bytes, deadlineNanos), source);
                    }
                } catch (ImageRejectedException e) {
                    decoded = ImageResult.failed(RejectionStatus.of(e.reason()), e.getMessage(), e.reason() == ImageRejection.OUT_OF_TIME);
                } catch (RuntimeException | OutOfMemoryError e) {
                    decoded = ImageResult.failed(ImageStatus.DECODE_FAILED, "decoder failed: " + e, true);
                } finally {
                    release.run(); // before completing: whoever sees the result sees the slot free
                }
                result.complete(decoded);
            });
        } catch (RuntimeException rejected) { // closed
            release.run();
            result.complete(ImageResult.failed(ImageStatus.FETCH_FAILED, "image fetcher closed", true));
        }
        return result;
    }

    private ImageResult report(ImageResult result, long startNanos, boolean hit) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        metrics.onResult(result.status(), millis);
        return result.seenBy(millis, hit);
    }

    /**
     * Bounded threads; the queue needs no bound of its own: a fetched body waits here holding a
     * concurrency permit, so at most {@code maxConcurrency} do, and inline bytes are bounded by
     * the caller's requests in flight (the Flink operator's capacity).
     */
    private static ExecutorService decodePool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "image-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** What the fetcher connects through; the defaults are the system's DNS and trust store. */
    public static final class Builder {
        private final FetchSettings settings;
        private final ImagePreprocessing preprocessing;
        private HostResolver resolver = HostResolver.system();
        private SslContextFactory.Client tls;
        private FetchMetrics metrics = FetchMetrics.NONE;
        private boolean tensors = true;

        private Builder(FetchSettings settings, ImagePreprocessing preprocessing) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
        }

        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** TLS settings, e.g. a trust store; host-name verification stays on unless this turns it off. */
        public Builder tls(SslContextFactory.Client tls) {
            this.tls = tls;
            return this;
        }

        public Builder metrics(FetchMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * false: images are fetched and decoded (every check, every status) but not resized, and
         * an OK result carries {@link ImageTensorizer#CHECKED_ONLY}: for a model that reads no images.
         */
        public Builder tensors(boolean tensors) {
            this.tensors = tensors;
            return this;
        }

        public ImageFetcher build() {
            return new ImageFetcher(settings, preprocessing, resolver, tls, metrics, tensors);
        }
    }
}
