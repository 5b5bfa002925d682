package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.job.testing.ImageServer;
import org.mafstream.job.testing.SampleImages;
import org.mafstream.schemas.ImageStatus;

/** Servers and name servers that never finish: every fetch still ends within its time budget. */
class HostileServerTest {
    private static final Duration BUDGET = Duration.ofSeconds(1);
    /** Generous: the floods below keep this machine's cores busy, and the deadline thread must get one. */
    private static final long SLACK_MILLIS = 1000;
    private static final int FLOODS = 8;

    private static FetchSettings.Builder settings(List<String> allowList) {
        return FetchSettings.builder()
                .allowList(allowList)
                .connectTimeout(Duration.ofMillis(500))
                .attemptTimeout(Duration.ofMillis(400))
                .totalTimeout(BUDGET)
                .initialBackoff(Duration.ofMillis(20))
                .cacheMaxBytes(0);
    }

    /**
     * As many floods as the client has threads (8 here): before the hard deadline, one fetch ended
     * after the budget and the other seven never did, their Jetty timeouts' aborts queued behind
     * parsing that never ends.
     */
    @Test
    void endlessInterimResponsesEndInTimeoutWithinTheBudget() throws Exception {
        try (InterimFlood server = new InterimFlood(); ImageServer good = new ImageServer()) {
            good.route("/ok.png", ImageServer.png(SampleImages.png(16, 16, 1)));
            // As many slots as flooded fetches: slots the aborted exchanges kept would starve the last fetch.
            FetchSettings settings = settings(List.of("127.0.0.1:" + server.port(), "127.0.0.1:" + good.port()))
                    .maxConcurrency(FLOODS).maxPerHost(FLOODS).build();
            try (ImageFetcher fetcher = ImageFetcher.builder(settings, ImagePreprocessing.imagenet224()).build()) {
                long start = System.nanoTime();
                List<CompletableFuture<ImageResult>> results = new ArrayList<>();
                for (int i = 0; i < FLOODS; i++) {
                    results.add(fetcher.fetch("http://127.0.0.1:" + server.port() + "/processing/" + i + ".png"));
                }
                for (CompletableFuture<ImageResult> result : results) {
                    ImageResult r = result.get(BUDGET.toMillis() + 2 * SLACK_MILLIS, TimeUnit.MILLISECONDS);
                    assertThat(r.status()).as(r.detail()).isEqualTo(ImageStatus.TIMEOUT);
                    assertThat(r.transientFailure()).isTrue();
                    assertThat(r.fetchMillis()).isLessThan(BUDGET.toMillis() + SLACK_MILLIS);
                }
                assertThat(millisSince(start)).isLessThan(BUDGET.toMillis() + SLACK_MILLIS);
                assertThat(server.interimResponses()).isPositive();
                // An abort alone waits for the I/O thread, which the flood keeps parsing: 3 of the 8
                // connections stayed open (and kept the client busy) until each expired fetch closed its own.
                long closeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (server.openFloods() > 0 && System.nanoTime() < closeBy) {
                    Thread.sleep(20);
                }
                assertThat(server.openFloods()).as("flooded connections the client left open").isZero();
                // and the slots came back
                assertThat(fetcher.fetch(good.url("/ok.png")).get(2, TimeUnit.SECONDS).status()).isEqualTo(ImageStatus.OK);
            }
        }
    }

    @Test
    void aNameServerThatHangsCostsItsOwnFetchesTheirBudgetAndNobodyElseAnything() throws Exception {
        try (ImageServer server = new ImageServer()) {
            server.route("/img.png", ImageServer.png(SampleImages.png(16, 16, 2)));
            HostResolver dns = host -> {
                if (host.startsWith("hangs-")) {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return List.of(InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}));
            };
            // Eight slots, and eight names whose lookups hang (more than the client has threads, before).
            FetchSettings settings = settings(server.allowList()).maxConcurrency(8).build();
            try (ImageFetcher fetcher = ImageFetcher.builder(settings, ImagePreprocessing.imagenet224()).resolver(dns).build()) {
                long start = System.nanoTime();
                List<CompletableFuture<ImageResult>> hanging = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    hanging.add(fetcher.fetch("http://hangs-" + i + ".example:" + server.port() + "/img.png"));
                }
                List<CompletableFuture<ImageResult>> fast = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    fast.add(fetcher.fetch("http://fast-" + i + ".example:" + server.port() + "/img.png"));
                }
                for (CompletableFuture<ImageResult> result : fast) {
                    ImageResult r = result.get(BUDGET.toMillis() + 2 * SLACK_MILLIS, TimeUnit.MILLISECONDS);
                    assertThat(r.status()).as(r.detail()).isEqualTo(ImageStatus.OK);
                    assertThat(r.fetchMillis()).isLessThan(BUDGET.toMillis() / 2);
                }
                for (CompletableFuture<ImageResult> result : hanging) {
                    ImageResult r = result.get(BUDGET.toMillis() + 2 * SLACK_MILLIS, TimeUnit.MILLISECONDS);
                    assertThat(r.status()).as(r.detail()).isEqualTo(ImageStatus.TIMEOUT);
                    assertThat(r.fetchMillis()).isLessThan(BUDGET.toMillis() + SLACK_MILLIS);
                }
                assertThat(millisSince(start)).isLessThan(BUDGET.toMillis() + SLACK_MILLIS);
            }
        }
    }

    @Test
    void manyNamesForOneAddressShareThatAddresssLimitAndDoNotStarveOthers() throws Exception {
        InetAddress other = InetAddress.getByAddress(new byte[]{127, 0, 0, 2});
        try (ImageServer slow = new ImageServer(); ImageServer elsewhere = new ImageServer(other)) {
            slow.route("/img.png", slow.held(300, ImageServer.png(SampleImages.png(16, 16, 3))));
            elsewhere.route("/img.png", ImageServer.png(SampleImages.png(16, 16, 4)));
            HostResolver dns = host -> List.of(InetAddress.getByAddress(host,
                    host.equals("elsewhere.example") ? other.getAddress() : new byte[]{127, 0, 0, 1}));
            List<String> allow = new ArrayList<>(slow.allowList());
            allow.addAll(elsewhere.allowList());
            // Two per host, and by default per address; eight in all. Every name is a different host.
            FetchSettings settings = settings(allow).maxConcurrency(8).maxPerHost(2)
                    .attemptTimeout(Duration.ofSeconds(5)).totalTimeout(Duration.ofSeconds(10)).build();
            try (ImageFetcher fetcher = ImageFetcher.builder(settings, ImagePreprocessing.imagenet224()).resolver(dns).build()) {
                List<CompletableFuture<ImageResult>> crowd = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    crowd.add(fetcher.fetch("http://name-" + i + ".example:" + slow.port() + "/img.png"));
                }
                Thread.sleep(100); // the crowd holds what it can get by now
                ImageResult apart = fetcher.fetch("http://elsewhere.example:" + elsewhere.port() + "/img.png").get(5, TimeUnit.SECONDS);
                assertThat(apart.status()).as(apart.detail()).isEqualTo(ImageStatus.OK);
                assertThat(apart.fetchMillis()).isLessThan(250); // not queued behind the crowd's 300 ms exchanges
                for (CompletableFuture<ImageResult> result : crowd) {
                    assertThat(result.get(10, TimeUnit.SECONDS).status()).isEqualTo(ImageStatus.OK);
                }
                assertThat(slow.peakHeld()).as("requests at the slow address at once").isEqualTo(2);
            }
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * A raw HTTP/1.1 server on loopback that answers every request with {@code 102 Processing},
     * again and again as fast as the client reads, until the client goes away or the server is
     * closed. Each flood keeps one of the client's I/O threads parsing.
     */
    static final class InterimFlood implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "interim-flood");
            t.setDaemon(true);
            return t;
        });
        private final AtomicLong sent = new AtomicLong();
        private final AtomicInteger open = new AtomicInteger();

        InterimFlood() throws IOException {
            threads.execute(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        threads.execute(() -> flood(client));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        long interimResponses() {
            return sent.get();
        }

        /** Connections being flooded now (a request came and 102s go out): each ends when the client closes it. */
        int openFloods() {
            return open.get();
        }

        private void flood(Socket client) {
            boolean flooding = false;
            try (client) {
                InputStream in = client.getInputStream();
                int matched = 0;
                while (matched < 4) { // the request head ends with CRLF CRLF
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                }
                // Counted from here: a connection the client opened but sent nothing on is an idle
                // pooled one (its request was aborted before it went out), not a flood.
                flooding = true;
                open.incrementAndGet();
                OutputStream out = client.getOutputStream();
                byte[] processing = "HTTP/1.1 102 Processing\r\n\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
                while (!socket.isClosed()) {
                    out.write(processing);
                    out.flush();
                    sent.incrementAndGet();
                }
            } catch (IOException gone) {
                // the client aborted, or the test is over
            } finally {
                if (flooding) {
                    open.decrementAndGet();
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            threads.shutdownNow();
        }
    }
}
