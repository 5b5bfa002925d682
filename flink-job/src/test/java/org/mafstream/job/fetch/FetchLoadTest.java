package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mafstream.job.testing.ImageServer.delayed;
import static org.mafstream.job.testing.ImageServer.png;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.job.testing.ImageServer;
import org.mafstream.job.testing.SampleImages;
import org.mafstream.schemas.ImageStatus;

/** Many posts at once: shared fetches, and memory bounded by the concurrency limit and the cache. */
class FetchLoadTest {
    private ImageServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ImageServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aThousandConcurrentPostsSharingTenUrlsFetchTenTimes() {
        for (int i = 0; i < 10; i++) {
            // Slow enough that every post arrives while its URL is still being fetched.
            server.route("/shared/" + i + ".png", delayed(300, png(SampleImages.png(40, 30, i))));
        }
        RecordingMetrics metrics = new RecordingMetrics();
        FetchSettings settings = FetchSettings.builder().allowList(server.allowList()).build();
        try (ImageFetcher fetcher = ImageFetcher.builder(settings, ImagePreprocessing.imagenet224()).metrics(metrics).build()) {
            List<CompletableFuture<ImageResult>> results = new ArrayList<>();
            for (int post = 0; post < 1000; post++) {
                results.add(fetcher.fetch(server.url("/shared/" + post % 10 + ".png")));
            }
            List<ImageResult> done = results.stream().map(CompletableFuture::join).toList();

            assertThat(done).allSatisfy(r -> assertThat(r.status()).isEqualTo(ImageStatus.OK));
            assertThat(server.totalHits()).isEqualTo(10);
            for (int i = 0; i < 10; i++) {
                assertThat(server.hits("/shared/" + i + ".png")).isEqualTo(1);
                assertThat(done.get(i + 10).tensor()).isSameAs(done.get(i).tensor());
            }
            assertThat(done.stream().filter(ImageResult::cacheHit).count()).isEqualTo(990);
            assertThat(fetcher.stats().httpExchanges()).isEqualTo(10);
            assertThat(fetcher.stats().cacheEntries()).isEqualTo(10);

            assertThat(metrics.requests.get()).isEqualTo(1000);
            assertThat(metrics.hits.get()).isEqualTo(990);
            assertThat(metrics.misses.get()).isEqualTo(10);
            assertThat(metrics.exchanges.get()).isEqualTo(10);
            assertThat(metrics.bytes.get()).isPositive();
            assertThat(metrics.statuses.get(ImageStatus.OK).get()).isEqualTo(1000);
        }
    }

    @Test
    void memoryStaysBoundedWhenTwoHundredPostsPointAtNineMegabyteImages() {
        // Each 9 MB image is a 32 × 32 PNG padded with a private chunk: heavy on the wire and in
        // memory, cheap to decode, so the test measures buffering, not the decoder.
        byte[] nineMegabytes = SampleImages.paddedPng(9 * 1024 * 1024, 3);
        for (int i = 0; i < 200; i++) {
            server.route("/big/" + i + ".png", png(nineMegabytes));
        }
        int concurrency = 4;
        long cacheBound = 4L * 1024 * 1024; // room for ~6 tensors of 602 KB
        FetchSettings settings = FetchSettings.builder()
                .allowList(server.allowList())
                .maxConcurrency(concurrency)
                .maxPerHost(concurrency)
                .cacheMaxBytes(cacheBound)
                .totalTimeout(Duration.ofSeconds(60))
                .attemptTimeout(Duration.ofSeconds(30))
                .build();
        try (ImageFetcher fetcher = ImageFetcher.builder(settings, ImagePreprocessing.imagenet224()).build()) {
            List<CompletableFuture<ImageResult>> results = new ArrayList<>();
            for (int post = 0; post < 200; post++) {
                results.add(fetcher.fetch(server.url("/big/" + post + ".png")));
            }
            List<ImageResult> done = results.stream().map(CompletableFuture::join).toList();

            assertThat(done).allSatisfy(r -> assertThat(r.status()).as(r.detail()).isEqualTo(ImageStatus.OK));
            assertThat(server.totalHits()).isEqualTo(200);
            FetchStats stats = fetcher.stats();
            // At most `concurrency` bodies were ever held (downloading or waiting to be decoded) ...
            assertThat(stats.peakBodiesInMemory()).isBetween(1, concurrency);
            assertThat(stats.peakPermits()).isLessThanOrEqualTo(concurrency);
            assertThat(server.peakInFlight()).isLessThanOrEqualTo(concurrency);
            assertThat(stats.bodiesInMemory()).isZero();
            // ... and the cache kept only what fits its byte bound.
            assertThat(stats.cacheBytes()).isPositive().isLessThanOrEqualTo(cacheBound);
            assertThat(stats.cacheEntries()).isLessThan(10);
        }
    }

    @Test
    void aLongQueueOfInstantlyRefusedExchangesCompletes() {
        // One slot, thousands waiting, each refused by the SSRF check as soon as it gets the slot:
        // handing the slot on must not recurse through the stack of the exchange that just failed.
        FetchSettings settings = FetchSettings.builder().maxConcurrency(1).maxPerHost(1).cacheMaxBytes(0).build();
        try (ImageFetcher fetcher = ImageFetcher.builder(settings, ImagePreprocessing.imagenet224()).build()) {
            List<CompletableFuture<ImageResult>> results = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                results.add(fetcher.fetch(server.url("/blocked/" + i + ".png"))); // loopback, not allow-listed
            }
            assertThat(results.stream().map(CompletableFuture::join))
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(ImageStatus.BLOCKED));
            assertThat(server.totalHits()).isZero();
        }
    }

    /** Counts what the fetcher reports. */
    static final class RecordingMetrics implements FetchMetrics {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong hits = new AtomicLong();
        final AtomicLong misses = new AtomicLong();
        final AtomicLong exchanges = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final Map<ImageStatus, AtomicLong> statuses = new EnumMap<>(ImageStatus.class);

        RecordingMetrics() {
            for (ImageStatus s : ImageStatus.values()) {
                statuses.put(s, new AtomicLong());
            }
        }

        @Override
        public void onRequest() {
            requests.incrementAndGet();
        }

        @Override
        public void onCacheHit() {
            hits.incrementAndGet();
        }

        @Override
        public void onCacheMiss() {
            misses.incrementAndGet();
        }

        @Override
        public void onHttpExchange() {
            exchanges.incrementAndGet();
        }

        @Override
        public void onBytes(long n) {
            bytes.addAndGet(n);
        }

        @Override
        public void onResult(ImageStatus status, long millis) {
            statuses.get(status).incrementAndGet();
        }
    }
}
