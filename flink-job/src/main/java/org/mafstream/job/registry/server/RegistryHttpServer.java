package org.mafstream.job.registry.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mafstream.job.registry.InMemorySchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry <b>for local use only</b>: it keeps its schemas in memory (they are gone when
 * it stops), has no authentication and no persistence, and serves one process's
 * {@link InMemorySchemaRegistry} over HTTP so that separate processes (a producer, the job, a
 * consumer) share schema ids. Production uses a real Confluent-compatible registry.
 *
 * <p>It speaks the part of Confluent's REST API that the job and the tools use, with Confluent's
 * status codes, error codes ({@code {"error_code", "message"}}) and content type
 * {@code application/vnd.schemaregistry.v1+json}:
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions}: register, {@code {"id"}}; the same schema again
 *       gets the same id, ids are global; 409 when not BACKWARD compatible with the latest
 *       version, 42201 for a schema that does not parse
 *   <li>{@code POST /subjects/{subject}}: the version holding a schema, {@code {"subject",
 *       "version", "id", "schema"}}; 40401 no such subject, 40403 schema not under it
 *   <li>{@code GET /schemas/ids/{id}}: {@code {"schema"}}; 40403
 *   <li>{@code GET /subjects}; {@code GET /subjects/{subject}/versions}; {@code GET
 *       /subjects/{subject}/versions/{version|latest}}: 40401, 40402 no such version, 42202 not a
 *       version
 *   <li>{@code POST /compatibility/subjects/{subject}/versions/{version|latest}}:
 *       {@code {"is_compatible"}} under BACKWARD, Confluent's default ({@code ?verbose=true} adds
 *       {@code "messages"})
 * </ul>
 *
 * It binds to 127.0.0.1 unless told otherwise.
 */
public final class RegistryHttpServer implements AutoCloseable {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Confluent's default port. */
    public static final int DEFAULT_PORT = 8081;

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final RegistryApi api;

    private RegistryHttpServer(HttpServer server, ExecutorService executor, RegistryApi api) {
        this.server = server;
        this.executor = executor;
        this.api = api;
    }

    /** Serves {@code registry} on 127.0.0.1:{@code port} (0: a free port). */
    public static RegistryHttpServer start(InMemorySchemaRegistry registry, int port) throws IOException {
        return start(registry, new InetSocketAddress(InetAddress.getByName(DEFAULT_BIND_ADDRESS), port));
    }

    /** Serves {@code registry} on {@code address} (port 0: a free port). */
    public static RegistryHttpServer start(InMemorySchemaRegistry registry, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        AtomicInteger threads = new AtomicInteger();
        // A few threads, not the server's single default one: the job's subtasks look up at once.
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "local-schema-registry-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        RegistryHttpServer registryServer = new RegistryHttpServer(server, executor, new RegistryApi(registry));
        server.setExecutor(executor);
        server.createContext("/", registryServer::handle);
        server.start();
        return registryServer;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}; {@code localhost} when bound to every address. */
    public String url() {
        InetAddress address = server.getAddress().getAddress();
        String host = address.isAnyLocalAddress() ? "localhost"
                : address instanceof Inet6Address ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return "http://" + host + ":" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            RegistryRequest request = new RegistryRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            RegistryAnswer answer;
            try {
                answer = api.answer(request);
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", request.method(), request.rawPath(), e);
                answer = RegistryAnswer.error(500, 500, "Internal error: " + e);
            }
            byte[] bytes = answer.body().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if (request.method().equals("HEAD")) {
                exchange.sendResponseHeaders(answer.status(), -1);
                return;
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening (the port is free when this returns) and ends the server's threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
