package org.mafstream.job.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;

/**
 * A small image server on loopback for the demo and the end-to-end tests: {@code /<name>.jpg}
 * and {@code /<name>.png} serve a picture drawn from the name (the same name, the same bytes);
 * {@code /missing.jpg} answers 404 and {@code /not-an-image.jpg} serves HTML labelled image/jpeg.
 * Files of an optional directory are served as they are, by name. An optional latency is added
 * to every answer (benchmarks).
 */
public final class LocalImageServer implements AutoCloseable {
    private final HttpServer server;
    private final Duration latency;
    private final Path files;
    private final Map<String, byte[]> images = new ConcurrentHashMap<>();

    private LocalImageServer(HttpServer server, Duration latency, Path files) {
        this.server = server;
        this.latency = latency;
        this.files = files;
    }

    public static LocalImageServer start(Duration latency) throws IOException {
        return start(latency, null);
    }

    /** @param files a directory whose files are served by name before anything is drawn, or null */
    public static LocalImageServer start(Duration latency, Path files) throws IOException {
        return start(latency, files, 0);
    }

    /** On 127.0.0.1:{@code port} (0: a free port), without added latency (the local stack). */
    public static LocalImageServer onPort(int port) throws IOException {
        return start(Duration.ZERO, null, port);
    }

    private static LocalImageServer start(Duration latency, Path files, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        LocalImageServer images = new LocalImageServer(server, latency, files);
        server.createContext("/", images::handle);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "local-image-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return images;
    }

    /**
     * Draws the picture of {@code name} now rather than on its first request, so that a benchmark
     * does not count the server's drawing as the job's work.
     */
    public void prepare(String name) {
        images.computeIfAbsent(name, LocalImageServer::draw);
    }

    /** The SSRF allow-list entry the job needs to fetch from this server (this port only). */
    public String allowListEntry() {
        return "127.0.0.1:" + port();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            String name = exchange.getRequestURI().getPath().substring(1);
            Path file = files == null || name.contains("/") || name.startsWith(".") ? null : files.resolve(name);
            if (file != null && Files.isRegularFile(file)) {
                send(exchange, 200, "application/octet-stream", Files.readAllBytes(file));
            } else if (name.equals("missing.jpg")) {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            } else if (name.equals("not-an-image.jpg")) {
                send(exchange, 200, "image/jpeg", "<html><body>Nope</body></html>".getBytes(StandardCharsets.UTF_8));
            } else if (name.endsWith(".jpg") || name.endsWith(".png")) {
                send(exchange, 200, name.endsWith(".jpg") ? "image/jpeg" : "image/png", images.computeIfAbsent(name, LocalImageServer::draw));
            } else {
                send(exchange, 404, "text/plain", new byte[0]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** A 320x240 picture of coloured shapes, deterministic in the name. */
    public static byte[] draw(String name) {
        Random random = new Random(name.hashCode());
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(random.nextInt(0xffffff)));
        g.fillRect(0, 0, 320, 240);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillOval(random.nextInt(300), random.nextInt(220), 20 + random.nextInt(120), 20 + random.nextInt(90));
        }
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, name.endsWith(".png") ? "png" : "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
