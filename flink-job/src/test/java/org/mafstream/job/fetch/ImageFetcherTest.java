package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mafstream.job.testing.ImageServer.bytes;
import static org.mafstream.job.testing.ImageServer.chunked;
import static org.mafstream.job.testing.ImageServer.delayed;
import static org.mafstream.job.testing.ImageServer.png;
import static org.mafstream.job.testing.ImageServer.redirect;
import static org.mafstream.job.testing.ImageServer.status;
import static org.mafstream.job.testing.ImageServer.trickle;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mafstream.image.ImageDecoder;
import org.mafstream.image.ImageLimits;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.image.ImageTensorizer;
import org.mafstream.job.testing.ImageServer;
import org.mafstream.job.testing.SampleImages;
import org.mafstream.schemas.ImageStatus;

/** The fetcher against a real local HTTP server with injected faults. */
class ImageFetcherTest {
    private static final ImagePreprocessing PREPROCESSING = ImagePreprocessing.imagenet224();
    private static final byte[] PNG = SampleImages.png(64, 48, 1);

    private ImageServer server;
    private ImageFetcher fetcher;

    @BeforeEach
    void start() throws Exception {
        server = new ImageServer();
        fetcher = fetcher(settings().build());
    }

    @AfterEach
    void stop() {
        fetcher.close();
        server.close();
    }

    /** Short limits so the failure paths run in well under a second or two. */
    private FetchSettings.Builder settings() {
        return FetchSettings.builder()
                .allowList(server.allowList())
                .connectTimeout(Duration.ofMillis(500))
                .attemptTimeout(Duration.ofMillis(400))
                .totalTimeout(Duration.ofSeconds(2))
                .initialBackoff(Duration.ofMillis(20))
                .maxRetries(2);
    }

    private ImageFetcher fetcher(FetchSettings settings) {
        return ImageFetcher.builder(settings, PREPROCESSING).build();
    }

    private ImageResult fetch(String path) {
        return fetcher.fetch(server.url(path)).join();
    }

    @Test
    void fetchesDecodesAndTensorizesAnImage() throws Exception {
        server.route("/a.png", png(PNG));
        ImageResult result = fetch("/a.png");
        assertThat(result.status()).isEqualTo(ImageStatus.OK);
        float[] expected = new ImageTensorizer(new ImageDecoder(ImageLimits.defaults()), PREPROCESSING).toTensor(PNG);
        assertThat(result.tensor()).containsExactly(expected);
        assertThat(result.cacheHit()).isFalse();

        ImageResult again = fetcher.fetch(server.url("/a.png#other-fragment")).join();
        assertThat(again.status()).isEqualTo(ImageStatus.OK);
        assertThat(again.cacheHit()).isTrue();
        assertThat(again.tensor()).isSameAs(result.tensor());
        assertThat(server.hits("/a.png")).isEqualTo(1);
    }

    @Test
    void sequentialFetchesReuseOneConnection() {
        for (int i = 0; i < 5; i++) {
            server.route("/seq/" + i + ".png", png(SampleImages.png(20, 20, i)));
            assertThat(fetch("/seq/" + i + ".png").status()).isEqualTo(ImageStatus.OK);
        }
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void anErrorWithAHugeBodyIsJudgedByItsStatus() {
        server.route("/huge-404", ex -> {
            ex.sendResponseHeaders(404, 0);
            ex.getResponseBody().write(new byte[2 * 1024 * 1024]);
        });
        ImageResult result = fetch("/huge-404");
        assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(result.detail()).isEqualTo("HTTP 404");
    }

    @Test
    void aBodyWithoutContentLengthIsFetchedToo() {
        server.route("/chunked.png", chunked(PNG));
        assertThat(fetch("/chunked.png").status()).isEqualTo(ImageStatus.OK);
    }

    @Test
    void followsARedirectToTheImage() {
        server.route("/moved", redirect(302, "/a.png")).route("/a.png", png(PNG));
        assertThat(fetch("/moved").status()).isEqualTo(ImageStatus.OK);
        assertThat(server.hits("/moved")).isEqualTo(1);
        assertThat(server.hits("/a.png")).isEqualTo(1);
    }

    @Test
    void notFoundFailsAndIsCachedBriefly() throws Exception {
        ImageResult result = fetch("/missing.png");
        assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(result.detail()).isEqualTo("HTTP 404");
        assertThat(result.transientFailure()).isFalse();
        assertThat(fetch("/missing.png").cacheHit()).isTrue();
        assertThat(server.hits("/missing.png")).isEqualTo(1); // 4xx is not retried

        try (ImageFetcher shortMemory = fetcher(settings().negativeTtl(Duration.ofMillis(100)).build())) {
            shortMemory.fetch(server.url("/missing.png")).join();
            Thread.sleep(200);
            shortMemory.fetch(server.url("/missing.png")).join();
        }
        assertThat(server.hits("/missing.png")).isEqualTo(3);
    }

    @Test
    void retriesAfterA500() {
        server.sequence("/flaky.png", status(500), png(PNG));
        ImageResult result = fetch("/flaky.png");
        assertThat(result.status()).isEqualTo(ImageStatus.OK);
        assertThat(server.hits("/flaky.png")).isEqualTo(2);
    }

    @Test
    void givesUpOnPersistent5xxAndDoesNotCacheIt() {
        server.sequence("/down.png", status(503), status(503), status(503), png(PNG));
        ImageResult result = fetch("/down.png");
        assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(result.detail()).startsWith("HTTP 503").contains("3 attempts");
        assertThat(result.transientFailure()).isTrue();
        assertThat(server.hits("/down.png")).isEqualTo(3);

        assertThat(fetch("/down.png").status()).isEqualTo(ImageStatus.OK); // not cached: fetched again
        assertThat(server.hits("/down.png")).isEqualTo(4);
    }

    @Test
    void honoursRetryAfterOn429() {
        try (ImageFetcher patient = fetcher(settings().totalTimeout(Duration.ofSeconds(5)).build())) {
            server.sequence("/busy.png", status(429, Map.of("Retry-After", "1")), png(PNG));
            long start = System.nanoTime();
            ImageResult result = patient.fetch(server.url("/busy.png")).join();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(result.status()).isEqualTo(ImageStatus.OK);
            assertThat(millis).isGreaterThanOrEqualTo(1000);
            assertThat(server.hits("/busy.png")).isEqualTo(2);
        }
    }

    @Test
    void doesNotWaitForARetryAfterBeyondTheTimeBudget() {
        server.sequence("/later.png", status(429, Map.of("Retry-After", "120")), png(PNG));
        long start = System.nanoTime();
        ImageResult result = fetch("/later.png");
        assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(result.detail()).contains("HTTP 429").contains("Retry-After 120");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
        assertThat(server.hits("/later.png")).isEqualTo(1);
    }

    @Test
    void aSlowServerTimesOut() {
        server.route("/slow.png", delayed(5_000, png(PNG)));
        long start = System.nanoTime();
        ImageResult result = fetch("/slow.png");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.status()).isEqualTo(ImageStatus.TIMEOUT);
        assertThat(result.transientFailure()).isTrue();
        assertThat(millis).isBetween(400L, 2_500L);
        assertThat(server.hits("/slow.png")).isBetween(1, 3); // retried while the budget lasted
    }

    @Test
    void aBodyThatTricklesForeverIsCutOffByTheTimeout() {
        server.route("/trickle.png", ImageServer.trickle());
        long start = System.nanoTime();
        ImageResult result = fetch("/trickle.png");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.status()).isEqualTo(ImageStatus.TIMEOUT);
        assertThat(millis).isLessThan(2_500);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithAndWithoutContentLength() {
        byte[] big = SampleImages.paddedPng(300_000, 2);
        try (ImageFetcher small = fetcher(settings().imageLimits(new ImageLimits(100_000, 40_000_000, 16_384)).build())) {
            server.route("/declared.png", png(big)).route("/undeclared.png", chunked(big));

            ImageResult declared = small.fetch(server.url("/declared.png")).join();
            assertThat(declared.status()).isEqualTo(ImageStatus.TOO_LARGE);
            assertThat(declared.detail()).contains("Content-Length 300000");

            ImageResult undeclared = small.fetch(server.url("/undeclared.png")).join();
            assertThat(undeclared.status()).isEqualTo(ImageStatus.TOO_LARGE);
            assertThat(undeclared.detail()).contains("body is over the limit of 100000 bytes");
            assertThat(undeclared.transientFailure()).isFalse();
            assertThat(small.stats().bodiesInMemory()).isZero();
        }
    }

    @Test
    void aPngDeclaringFiftyThousandSquaredPixelsIsRefusedBeforeDecoding() {
        server.route("/bomb.png", png(SampleImages.pngDeclaring(50_000, 50_000)));
        ImageResult result = fetch("/bomb.png");
        assertThat(result.status()).isEqualTo(ImageStatus.TOO_LARGE);
        assertThat(result.detail()).contains("50000x50000");
    }

    @Test
    void htmlServedAsJpegIsNotAnImage() {
        server.route("/page.jpg", bytes(SampleImages.html(), "image/jpeg"));
        ImageResult result = fetch("/page.jpg");
        assertThat(result.status()).isEqualTo(ImageStatus.UNSUPPORTED_TYPE);
        assertThat(result.detail()).contains("not a JPEG, PNG");
    }

    @Test
    void aRealImageServedWithAWrongContentTypeIsUsed() {
        server.route("/mislabelled", bytes(PNG, "text/html"));
        assertThat(fetch("/mislabelled").status()).isEqualTo(ImageStatus.OK);
    }

    @Test
    void withoutTensorsImagesAreStillDecodedAndJudgedButNotResized() {
        try (ImageFetcher checking = ImageFetcher.builder(settings().build(), PREPROCESSING).tensors(false).build()) {
            server.route("/whole.png", png(PNG)).route("/half.png", png(Arrays.copyOf(PNG, PNG.length / 2)))
                    .route("/page", bytes("<html></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/html"));
            ImageResult whole = checking.fetch(server.url("/whole.png")).join();
            assertThat(whole.status()).isEqualTo(ImageStatus.OK);
            assertThat(whole.tensor()).isSameAs(ImageTensorizer.CHECKED_ONLY).isEmpty();
            assertThat(checking.fetch(server.url("/half.png")).join().status()).isEqualTo(ImageStatus.DECODE_FAILED);
            assertThat(checking.fetch(server.url("/page")).join().status()).isEqualTo(ImageStatus.UNSUPPORTED_TYPE);
        }
    }

    @Test
    void aTruncatedImageFailsToDecode() {
        server.route("/cut.png", png(Arrays.copyOf(PNG, PNG.length / 2)));
        assertThat(fetch("/cut.png").status()).isEqualTo(ImageStatus.DECODE_FAILED);
    }

    @Test
    void aRefusedConnectionIsAFetchFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (ImageFetcher f = fetcher(settings().allowList(List.of("127.0.0.1:" + closedPort)).build())) {
            ImageResult result = f.fetch("http://127.0.0.1:" + closedPort + "/x.png").join();
            assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED);
            assertThat(result.detail()).contains("connection failed");
            assertThat(result.transientFailure()).isTrue();
        }
    }

    @Test
    void inlineBytesSkipTheFetchButNotTheChecks() {
        assertThat(fetcher.load(server.url("/never.png"), ByteBuffer.wrap(PNG)).join().status()).isEqualTo(ImageStatus.OK);
        assertThat(server.totalHits()).isZero();
        assertThat(fetcher.fromBytes(SampleImages.html()).join().status()).isEqualTo(ImageStatus.UNSUPPORTED_TYPE);
        assertThat(fetcher.fromBytes(SampleImages.pngDeclaring(50_000, 50_000)).join().status()).isEqualTo(ImageStatus.TOO_LARGE);
        assertThat(fetcher.fromBytes(new byte[0]).join().status()).isEqualTo(ImageStatus.UNSUPPORTED_TYPE);
        try (ImageFetcher small = fetcher(settings().imageLimits(new ImageLimits(1000, 40_000_000, 16_384)).build())) {
            assertThat(small.fromBytes(PNG).join().status()).isEqualTo(ImageStatus.TOO_LARGE);
        }
    }

    @Test
    void aPostWithNeitherUrlNorBytesHasNoImage() {
        ImageResult result = fetcher.load(null, null).join();
        assertThat(result.status()).isEqualTo(ImageStatus.NO_IMAGE);
        assertThat(result.tensor()).isNull();
        assertThat(fetcher.load(" ", ByteBuffer.allocate(0)).join().status()).isEqualTo(ImageStatus.NO_IMAGE);
    }

    @Test
    void hostileProgressiveJpegsAreRefusedFastAndDoNotHoldUpTheNextImage() throws Exception {
        // Two decode threads (the default); each hostile JPEG would hold one for most of a minute.
        byte[] hostile = SampleImages.progressiveJpegWithScans(1024, 6000);
        server.route("/scans-1.jpg", bytes(hostile, "image/jpeg")).route("/scans-2.jpg", bytes(hostile, "image/jpeg"))
                .route("/next.png", png(PNG));
        long start = System.nanoTime();
        var first = fetcher.fetch(server.url("/scans-1.jpg"));
        var second = fetcher.fetch(server.url("/scans-2.jpg"));
        Thread.sleep(100); // both are being decoded, or refused, by now
        ImageResult next = fetcher.fetch(server.url("/next.png")).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(next.status()).isEqualTo(ImageStatus.OK);
        for (ImageResult hostileResult : List.of(first.get(5, java.util.concurrent.TimeUnit.SECONDS), second.join())) {
            assertThat(hostileResult.status()).isEqualTo(ImageStatus.DECODE_FAILED);
            assertThat(hostileResult.detail()).contains("6000 scans");
            assertThat(hostileResult.transientFailure()).isFalse();
        }
        assertThat(next.fetchMillis()).isLessThan(1000);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theTimeBudgetCoversWaitingForADecodeThreadAndTheDecode() throws Exception {
        // One decode thread; the slow JPEGs pass the (raised) scan limit and would take seconds each.
        ImageLimits lenient = ImageLimits.defaults().withMaxJpegScans(100_000).withMaxDecodeTime(Duration.ofSeconds(30));
        try (ImageFetcher one = fetcher(settings().decodeThreads(1).totalTimeout(Duration.ofSeconds(1)).imageLimits(lenient).build())) {
            byte[] slowJpeg = SampleImages.progressiveJpegWithScans(1024, 1000);
            server.route("/slow-1.jpg", bytes(slowJpeg, "image/jpeg"))
                    .route("/slow-2.jpg", delayed(300, bytes(slowJpeg, "image/jpeg"))).route("/later.png", png(PNG));
            long start = System.nanoTime();
            // Budgets end at 1.0 s (waiting: queued from 0.3 s), 1.1 s (decoding: from about 0.1 s
            // until then) and 1.4 s (later, which then has the thread).
            var waiting = one.fetch(server.url("/slow-2.jpg"));
            Thread.sleep(100);
            var decoding = one.fetch(server.url("/slow-1.jpg"));
            Thread.sleep(300);
            var later = one.fetch(server.url("/later.png"));

            ImageResult stopped = decoding.join(); // stopped when its budget ran out
            assertThat(stopped.status()).as(stopped.detail()).isEqualTo(ImageStatus.TIMEOUT);
            assertThat(stopped.detail()).contains("time budget ran out");
            ImageResult queued = waiting.join(); // its budget ran out while it waited for the thread
            assertThat(queued.status()).as(queued.detail()).isEqualTo(ImageStatus.TIMEOUT);
            assertThat(queued.detail()).containsAnyOf("for a decode thread", "no result within the time budget");
            assertThat(List.of(stopped, queued)).allSatisfy(r -> assertThat(r.transientFailure()).isTrue());
            assertThat(later.join().status()).isEqualTo(ImageStatus.OK); // the thread is free again in time
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1800));
        }
    }

    @Test
    void aNullUrlIsAnUnusableUrlNotAnException() {
        ImageResult result = fetcher.fetch(null).join();
        assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED); // as for a malformed URL
        assertThat(result.detail()).contains("no URL");
        assertThat(result.transientFailure()).isFalse();
    }

    @Test
    void aClosedFetcherStillAnswers() {
        server.route("/slow.png", delayed(5_000, png(PNG)));
        var pending = fetcher.fetch(server.url("/slow.png"));
        fetcher.close();
        assertThat(pending.join().status()).isIn(ImageStatus.FETCH_FAILED, ImageStatus.TIMEOUT);
        assertThat(fetcher.fetch(server.url("/a.png")).join().status()).isEqualTo(ImageStatus.FETCH_FAILED);
    }
}
