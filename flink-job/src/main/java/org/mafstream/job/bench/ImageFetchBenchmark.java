package org.mafstream.job.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.job.fetch.FetchSettings;
import org.mafstream.job.fetch.ImageFetcher;
import org.mafstream.schemas.ImageStatus;

/**
 * Throughput of the image stage (fetch + decode + tensorize) against a local HTTP server that
 * adds a fixed latency to every response: replays N posts over M distinct URLs at each latency
 * and prints images/s (best of {@code --repeats} runs) and throughput(latency) / throughput(0 ms).
 * The cache is off by default,
 * so every post is a real HTTP fetch and decode: it measures fetching, not the cache. Each run
 * uses its own URL namespace, so nothing carries over between latencies either.
 *
 * <pre>
 * bin/maf-stream bench fetch
 * bin/maf-stream bench fetch --posts 6000 --concurrency 256 --latencies 0,50,200
 * </pre>
 *
 * <p>Throughput is bounded by decoding (CPU) at low latency and by Little's law at high latency:
 * {@code concurrency / latency} images/s. To keep the ratio near 1 at 200 ms, concurrency must
 * exceed the decode throughput × 0.2 s (plus the bodies waiting to be decoded, which hold slots).
 */
public final class ImageFetchBenchmark {
    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream bench fetch [options]",
            """
            Throughput of the image stage (fetch + decode + tensorize) against a local HTTP server
            that delays every response by each of --latencies: images/s (best of --repeats
            interleaved runs) and the ratio to 0 ms. The cache is off by default, so every post is a
            real fetch and decode.""",
            List.of(
                    // Enough posts that the first and last latency periods (nothing to decode yet, or
                    // any more) are small next to the run, and concurrency to cover throughput × latency.
                    Option.value("posts", "N", "posts per run (default 6000)"),
                    Option.value("urls", "M", "distinct URLs they cycle over (default: one per post)"),
                    Option.value("concurrency", "C", "the fetcher's downloads in flight (default 512)"),
                    Option.value("per-host", "P", "downloads in flight per host (default: --concurrency; one local"
                            + " server stands for many image hosts)"),
                    Option.value("in-flight", "F", "posts in flight, as Flink's async capacity (default 2 x --concurrency)"),
                    Option.value("decode-threads", "D", "decode threads (default 2)"),
                    Option.value("image-side", "S", "width of the served PNGs in pixels (default 128)"),
                    Option.choice("cache", List.of("on", "off"), "the fetcher's tensor cache (default off)"),
                    Option.value("latencies", "MS[,MS...]", "server latencies in ms (default 0,50,200)"),
                    Option.value("repeats", "R", "runs per latency, the best kept (default 3)")));

    private ImageFetchBenchmark() {}

    /** -1: derived from the others (see the options' help). */
    private record Settings(int posts, int urls, int concurrency, int perHost, int inFlight, int decodeThreads,
                            int imageSide, boolean cache, int[] latencies, int repeats) {
        static Settings from(Parsed args) {
            return new Settings(args.positiveInt("posts").orElse(6000), args.positiveInt("urls").orElse(-1),
                    args.positiveInt("concurrency").orElse(512), args.positiveInt("per-host").orElse(-1),
                    args.positiveInt("in-flight").orElse(-1), args.positiveInt("decode-threads").orElse(2),
                    args.positiveInt("image-side").orElse(128), args.get("cache", "off").equals("on"),
                    args.intList("latencies", 0).orElse(List.of(0, 50, 200)).stream().mapToInt(Integer::intValue).toArray(),
                    args.positiveInt("repeats").orElse(3));
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("bench fetch", args, Settings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        Settings options = startup.settings();
        int posts = options.posts();
        int urls = options.urls();
        int concurrency = options.concurrency();
        int perHost = options.perHost();
        int inFlight = options.inFlight();
        int decodeThreads = options.decodeThreads();
        int imageSide = options.imageSide();
        boolean cache = options.cache();
        int[] latencies = options.latencies();
        int repeats = options.repeats();
        urls = urls > 0 ? urls : posts;
        perHost = perHost > 0 ? perHost : concurrency; // one local server stands for many image hosts
        inFlight = inFlight > 0 ? inFlight : 2 * concurrency; // what Flink's async capacity would allow

        System.setProperty("sun.net.httpserver.nodelay", "true"); // else ~40 ms per response (Nagle + delayed ACK)
        byte[][] images = new byte[8][];
        for (int i = 0; i < images.length; i++) {
            images[i] = noisePng(imageSide, imageSide * 3 / 4, i);
        }
        try (LatencyServer server = new LatencyServer(images, inFlight + 16)) {
            FetchSettings settings = FetchSettings.builder()
                    .maxConcurrency(concurrency)
                    .maxPerHost(perHost)
                    .decodeThreads(decodeThreads)
                    .cacheMaxBytes(cache ? 512L * 1024 * 1024 : 0)
                    .allowList(List.of("127.0.0.1:" + server.port()))
                    .build();
            out.printf("image fetch benchmark: %d posts over %d URLs, %d-byte PNGs (%dx%d), concurrency %d (per host %d), "
                            + "%d posts in flight, %d decode threads, cache %s, %d cores%n",
                    posts, urls, images[0].length, imageSide, imageSide * 3 / 4, concurrency, perHost, inFlight,
                    decodeThreads, cache ? "on" : "off", Runtime.getRuntime().availableProcessors());
            try (ImageFetcher fetcher = ImageFetcher.builder(settings, ImagePreprocessing.imagenet224()).build()) {
                run(fetcher, server, "warmup", 0, posts, urls, inFlight); // JIT and connections, not reported
                out.printf("best of %d interleaved runs per latency (other processes share the cores)%n", repeats);
                out.printf("%10s %10s %8s %9s %9s  %s%n", "latency", "images/s", "ratio", "p50 ms", "p99 ms", "statuses");
                // Rounds interleave the latencies, so drift (JIT, heap sizing, other processes) hits all alike.
                Run[] best = new Run[latencies.length];
                for (int k = 0; k < repeats; k++) {
                    for (int j = 0; j < latencies.length; j++) {
                        Run r = run(fetcher, server, "run" + k + "-" + j, latencies[j], posts, urls, inFlight);
                        best[j] = best[j] == null || r.imagesPerSecond() > best[j].imagesPerSecond() ? r : best[j];
                    }
                }
                double base = best[0].imagesPerSecond();
                for (int j = 0; j < latencies.length; j++) {
                    if (latencies[j] == 0) {
                        base = best[j].imagesPerSecond();
                    }
                }
                for (int j = 0; j < latencies.length; j++) {
                    Run r = best[j];
                    out.printf("%7d ms %10.1f %8.3f %9d %9d  %s%n", latencies[j], r.imagesPerSecond(), r.imagesPerSecond() / base,
                            r.p50(), r.p99(), r.statuses());
                }
            }
        }
        return 0;
    }

    private record Sample(ImageStatus status, long millis) {}

    private record Run(double imagesPerSecond, long p50, long p99, Map<ImageStatus, Integer> statuses) {}

    private static Run run(ImageFetcher fetcher, LatencyServer server, String name, int latency, int posts, int urls,
                           int inFlight) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        // Keep only status and time: holding 2000 tensors (600 KB each) would benchmark the GC.
        List<CompletableFuture<Sample>> results = new ArrayList<>(posts);
        long start = System.nanoTime();
        for (int i = 0; i < posts; i++) {
            slots.acquire();
            CompletableFuture<Sample> r = fetcher.fetch(server.url(name, latency, i % urls))
                    .thenApply(x -> new Sample(x.status(), x.fetchMillis()));
            r.whenComplete((x, e) -> slots.release());
            results.add(r);
        }
        List<Sample> done = results.stream().map(CompletableFuture::join).toList();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] millis = done.stream().mapToLong(Sample::millis).sorted().toArray();
        Map<ImageStatus, Integer> statuses = new EnumMap<>(ImageStatus.class);
        done.forEach(d -> statuses.merge(d.status(), 1, Integer::sum));
        return new Run(posts / seconds, millis[millis.length / 2], millis[(int) (millis.length * 0.99)], statuses);
    }

    private static byte[] noisePng(int w, int h, long seed) throws IOException {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 2 & 0xff) << 16 | (y * 2 & 0xff) << 8 | random.nextInt(64));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** Serves /NAME/LATENCY/INDEX.png after LATENCY ms; a thread per request in flight, as a blocking server does. */
    private static final class LatencyServer implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService threads;
        private final byte[][] images;

        LatencyServer(byte[][] images, int threadCount) throws IOException {
            this.images = images;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            threads = Executors.newFixedThreadPool(threadCount, r -> {
                Thread t = new Thread(r, "bench-server");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(threads);
            server.createContext("/", this::serve);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String name, int latency, int index) {
            return "http://127.0.0.1:" + port() + "/" + name + "/" + latency + "/" + index + ".png";
        }

        private void serve(HttpExchange exchange) throws IOException {
            try {
                String[] parts = exchange.getRequestURI().getPath().split("/");
                int latency = Integer.parseInt(parts[2]);
                int index = Integer.parseInt(parts[3].substring(0, parts[3].indexOf('.')));
                if (latency > 0) {
                    Thread.sleep(latency);
                }
                byte[] body = images[index % images.length];
                exchange.getResponseHeaders().set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
