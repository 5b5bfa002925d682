package org.mafstream.job.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real HTTP/1.1 (or HTTPS) server on 127.0.0.1 (the JDK's), with per-path behaviours for fault injection:
 * images, error codes, delays, bodies that trickle, redirects. Counts requests per path and the
 * most requests it served at once. Every behaviour ends by itself (a trickle stops after 20 s).
 */
public final class ImageServer implements AutoCloseable {
    static {
        // Without it the JDK server's separate header and body writes meet Nagle and delayed ACKs:
        // ~40 ms per response. Read once, when the first HttpServer of the JVM starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger peakHeld = new AtomicInteger();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    public ImageServer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** A server on another loopback address (127.0.0.2, ...): a different address to the fetcher. */
    public ImageServer(InetAddress address) throws IOException {
        this(HttpServer.create(new InetSocketAddress(address, 0), 256));
    }

    /** An HTTPS server with the given certificate; {@code sni} sees the server name each client asks for. */
    public static ImageServer https(SSLContext tls, SNIMatcher sni) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setSNIMatchers(List.of(sni));
                params.setSSLParameters(parameters);
            }
        });
        return new ImageServer(server);
    }

    private ImageServer(HttpServer server) {
        this.server = server;
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "image-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::dispatch);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/path} ({@code https} for an HTTPS server). */
    public String url(String path) {
        return (server instanceof HttpsServer ? "https" : "http") + "://" + address() + ":" + port() + path;
    }

    /** The allow-list entry for exactly this server: loopback stays blocked on every other port. */
    public List<String> allowList() {
        return List.of(address() + ":" + port());
    }

    private String address() {
        return server.getAddress().getAddress().getHostAddress();
    }

    public ImageServer route(String path, Handler handler) {
        routes.put(path, handler);
        return this;
    }

    /** Each request gets the next handler; the last one repeats. */
    public ImageServer sequence(String path, Handler... handlers) {
        AtomicInteger next = new AtomicInteger();
        return route(path, ex -> handlers[Math.min(next.getAndIncrement(), handlers.length - 1)].handle(ex));
    }

    public int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    public int totalHits() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int peakInFlight() {
        return peakInFlight.get();
    }

    /**
     * Like {@link #delayed}, and counts the requests held in the delay at once ({@link #peakHeld}).
     * Unlike {@link #peakInFlight}, which a client may see one over its limit (its next request can
     * arrive before the previous handler has returned), a request leaves this count before its
     * response is sent, so the count is exact.
     */
    public Handler held(long millis, Handler then) {
        return ex -> {
            peakHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
            try {
                sleep(millis);
            } finally {
                held.decrementAndGet();
            }
            then.handle(ex);
        };
    }

    public int peakHeld() {
        return peakHeld.get();
    }

    /** TCP connections that sent requests (by client port). */
    public int connections() {
        return clientPorts.size();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        clientPorts.add(exchange.getRemoteAddress().getPort());
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            routes.getOrDefault(path, status(404)).handle(exchange);
        } catch (IOException e) {
            // the client went away (timeouts, aborted bodies): expected in these tests
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    // ---- behaviours ----

    /** 200 with the bytes, a Content-Length, and whatever Content-Type the test claims. */
    public static Handler bytes(byte[] body, String contentType) {
        return ex -> {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
        };
    }

    public static Handler png(byte[] body) {
        return bytes(body, "image/png");
    }

    /** 200 with the bytes sent chunked: no Content-Length. */
    public static Handler chunked(byte[] body) {
        return ex -> {
            ex.getResponseHeaders().set("Content-Type", "image/png");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (int off = 0; off < body.length; off += 64 * 1024) {
                out.write(body, off, Math.min(64 * 1024, body.length - off));
            }
        };
    }

    public static Handler status(int code) {
        return status(code, Map.of());
    }

    public static Handler status(int code, Map<String, String> headers) {
        return ex -> {
            headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            byte[] body = ("status " + code).getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(code, body.length);
            ex.getResponseBody().write(body);
        };
    }

    public static Handler redirect(int code, String location) {
        return status(code, Map.of("Location", location));
    }

    /** Waits, then behaves like {@code then}. */
    public static Handler delayed(long millis, Handler then) {
        return ex -> {
            sleep(millis);
            then.handle(ex);
        };
    }

    /** A PNG signature, then one byte every 50 ms, for 20 s at most, without a Content-Length. */
    public static Handler trickle() {
        return ex -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            out.flush();
            long end = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < end) {
                sleep(50);
                out.write(0);
                out.flush();
            }
        };
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
