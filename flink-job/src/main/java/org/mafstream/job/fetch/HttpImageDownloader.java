package org.mafstream.job.fetch;

import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.mafstream.schemas.ImageStatus;

/**
 * Downloads image bodies over HTTP/1.1 (pooled keep-alive connections) with Eclipse Jetty's
 * client, under {@link FetchSettings}' limits: concurrency overall and per host, connect,
 * per-attempt and total timeouts, redirects followed by hand (each hop parsed and re-checked like
 * the first URL), retries with jittered back-off for timeouts, connection errors, 408, 429 and
 * 5xx honouring {@code Retry-After} within the time budget, and the body limit while streaming.
 * Each attempt first resolves the host ({@link DnsLookups}, off Jetty's threads) and checks its
 * addresses ({@link PinnedAddresses}), then waits for a permit counted by host and by address,
 * then sends the request pinned to the checked addresses ({@link GuardedResolver}).
 *
 * <p>Why Eclipse Jetty and not the JDK's {@code HttpClient}: on Java 17 the JDK client has no
 * resolver hook, so it cannot be told which of the checked addresses to connect to; it resolves
 * the name again itself, leaving a DNS-rebinding window between the SSRF check and the
 * connection. Pinning by rewriting the URL to an IP literal would break TLS (SNI and the
 * certificate's host-name check use the URL's host). Jetty's request tag and
 * {@code SocketAddressResolver} hook ({@link GuardedResolver}) connect to exactly the checked
 * addresses of one lookup, while TLS still uses the host name for SNI and certificate verification
 * ({@code HttpsFetchTest} shows both). HTTP/2 is not enabled: every server that speaks it also
 * speaks HTTP/1.1, and it would need ALPN and Jetty's http2 modules for little gain when each
 * exchange is one image on a pooled connection.
 *
 * <p>Every future completes, also when the downloader is closed meanwhile.
 */
final class HttpImageDownloader implements AutoCloseable {
    /** How often, and how many times, an expired exchange that has not ended gets its connection closed. */
    private static final long STUCK_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int STUCK_CHECKS = 20;

    private final FetchSettings settings;
    private final HttpClient client;
    private final ConcurrencyLimiter limiter;
    private final FetchMetrics metrics;
    private final Deadlines deadlines;
    private final DnsLookups lookups;
    private final AddressPolicy policy;
    private final Set<Conversation> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong exchanges = new AtomicLong();
    private final AtomicInteger bodies = new AtomicInteger();
    private final AtomicInteger peakBodies = new AtomicInteger();
    private final BodyCollector.BodyGauge gauge = new BodyCollector.BodyGauge() {
        @Override
        public void opened() {
            peakBodies.accumulateAndGet(bodies.incrementAndGet(), Math::max);
        }

        @Override
        public void closed() {
            bodies.decrementAndGet();
        }
    };

    HttpImageDownloader(FetchSettings settings, HostResolver resolver, SslContextFactory.Client tls, FetchMetrics metrics,
                        Deadlines deadlines) {
        this.settings = settings;
        this.metrics = metrics;
        this.deadlines = deadlines;
        ClientConnector connector = new ClientConnector();
        connector.setConnectTimeout(settings.connectTimeout());
        if (tls != null) {
            connector.setSslContextFactory(tls);
        }
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, Math.min(64, settings.maxConcurrency())), 2);
        threads.setName("image-fetch");
        threads.setDaemon(true);
        this.limiter = new ConcurrencyLimiter(settings.maxConcurrency(), settings.maxPerHost(), settings.maxPerAddress(), threads);
        this.lookups = new DnsLookups(resolver, settings.dnsThreads());
        this.policy = AddressPolicy.of(settings);
        client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setName("image-fetch");
        client.setExecutor(threads);
        client.setSocketAddressResolver(new GuardedResolver(lookups, policy));
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(settings.maxPerHost());
        // One destination per host and pinned addresses: drop those idle for a while, so a host
        // whose addresses change (or many hosts) do not pile up destinations.
        client.setDestinationIdleTimeout(60_000);
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, 2 * settings.maxConcurrency()));
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, settings.userAgent()));
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setIdleTimeout(30_000);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the HTTP client", e);
        }
        // Answer every status to our own listener, and ask for no gzip: images are compressed
        // already, and a decompression bomb is one way less to worry about.
        client.getProtocolHandlers().remove(RedirectProtocolHandler.NAME);
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        client.getContentDecoderFactories().clear();
    }

    /** The body at {@code url}, or why there is none; complete by {@code deadlineNanos} ({@link System#nanoTime()}) whatever the server does. */
    CompletableFuture<Download> download(FetchUrl url, long deadlineNanos) {
        Conversation conversation = new Conversation(url, deadlineNanos);
        open.add(conversation);
        conversation.hardDeadline = deadlines.at(deadlineNanos, conversation::expire);
        conversation.attempt();
        return conversation.result;
    }

    /** HTTP exchanges sent so far (attempts, retries and redirect hops). */
    long exchanges() {
        return exchanges.get();
    }

    /** Bodies in memory now (downloading or waiting to be decoded), and the most at once. */
    int[] bodiesInMemory() {
        return new int[]{bodies.get(), peakBodies.get()};
    }

    /** Concurrency permits held now, and the most at once. */
    int[] permits() {
        return limiter.usage();
    }

    @Override
    public void close() {
        limiter.close();
        try {
            client.stop();
        } catch (Exception e) {
            // stopping aborts what is in flight; nothing else to do
        }
        lookups.close();
        for (Conversation c : open) {
            c.finish(ImageStatus.FETCH_FAILED, "image fetcher closed", true);
        }
    }

    /**
     * One URL's way through redirects and retries, one exchange at a time. Its hard deadline
     * ({@link #expire}) ends it at the end of the time budget, whatever the exchange in flight is
     * doing; every later step then sees the result done and gives back what it holds.
     */
    private final class Conversation {
        final CompletableFuture<Download> result = new CompletableFuture<>();
        final long deadlineNanos;
        final Set<String> visited = new HashSet<>();
        volatile Future<?> hardDeadline;
        volatile InFlight inFlight;
        volatile ConcurrencyLimiter.Permit permit;
        FetchUrl url;
        int redirects;
        int retries;

        Conversation(FetchUrl url, long deadlineNanos) {
            this.url = url;
            this.deadlineNanos = deadlineNanos;
            visited.add(url.key());
        }

        /** The time budget is spent: TIMEOUT now, abort the exchange, give back its slot. */
        void expire() {
            if (result.isDone()) {
                return;
            }
            InFlight exchange = inFlight;
            finish(ImageStatus.TIMEOUT, "no result within the time budget of " + settings.totalTimeout().toMillis()
                    + " ms" + (exchange == null ? "" : " (response from " + url.hostAndPort() + " unfinished)"), true);
            ConcurrencyLimiter.Permit held = permit;
            if (held != null) {
                held.release(); // also if the client never completes the aborted exchange
            }
            if (exchange != null) {
                abort(exchange, new TimeoutException("the time budget of " + settings.totalTimeout().toMillis() + " ms ran out"));
            }
        }

        void attempt() {
            if (result.isDone()) {
                return; // expired (or closed) while waiting to retry
            }
            if (remainingMillis() <= 0) {
                finish(ImageStatus.TIMEOUT, "no time left after " + settings.totalTimeout().toMillis() + " ms", true);
                return;
            }
            // Resolve and check first, on the lookup threads, within the time budget: the permit is
            // then taken for the address that will be connected to, not only for the host name.
            FetchUrl target = url;
            lookups.resolve(target.host()).whenComplete((addresses, failure) -> {
                if (result.isDone()) {
                    return; // expired while the name server took its time
                }
                PinnedAddresses pinned;
                try {
                    if (failure != null) {
                        throw failure;
                    }
                    pinned = PinnedAddresses.check(policy, target.host(), target.port(), addresses);
                } catch (Throwable refused) {
                    handleFailure(refused);
                    return;
                }
                limiter.acquire(target.hostAndPort(), pinned.key()).whenComplete((permit, closed) -> {
                    if (closed != null) {
                        finish(ImageStatus.FETCH_FAILED, "image fetcher closed", true);
                    } else {
                        send(permit, pinned);
                    }
                });
            });
        }

        private void send(ConcurrencyLimiter.Permit permit, PinnedAddresses pinned) {
            if (result.isDone()) {
                permit.release();
                return;
            }
            this.permit = permit;
            long remaining = remainingMillis();
            if (remaining <= 0) {
                permit.release();
                finish(ImageStatus.TIMEOUT, "waited " + settings.totalTimeout().toMillis() + " ms for a connection slot", true);
                return;
            }
            exchanges.incrementAndGet();
            metrics.onHttpExchange();
            BodyCollector collector = new BodyCollector(settings.imageLimits().maxBytes(), gauge, metrics);
            InFlight sent;
            try {
                Request next = client.newRequest(url.uri())
                        .tag(pinned) // GuardedResolver connects to exactly these
                        .method(HttpMethod.GET)
                        .timeout(Math.min(settings.attemptTimeout().toMillis(), remaining), TimeUnit.MILLISECONDS)
                        .headers(h -> h.put(HttpHeader.ACCEPT, "image/*, */*;q=0.1"));
                sent = new InFlight(next, collector.done());
                inFlight = sent;
                next.send(collector);
                if (result.isDone()) { // expired between the two lines above: expire() saw no request
                    abort(sent, new TimeoutException("the time budget ran out"));
                }
            } catch (RuntimeException e) {
                permit.release();
                finish(ImageStatus.FETCH_FAILED, "request could not be sent: " + e, true);
                return;
            }
            collector.done().whenComplete((exchange, never) -> {
                inFlight = null;
                if (exchange.failure() != null) {
                    // Jetty's own timeout fails the exchange, but its abort waits behind the same
                    // endless parse: without this the connection streams on after the retry.
                    deadlines.closeSoon(() -> sent.closeConnection(exchange.failure()));
                }
                this.permit = null;
                permit.releaseHost();
                if (exchange.body() != null) {
                    boolean counted = collector.countedBody();
                    complete(Download.body(exchange.body(), exchange.body().length + " bytes from " + abbreviate(url.key()), () -> {
                        if (counted) {
                            gauge.closed();
                        }
                        permit.release();
                    }));
                } else {
                    permit.release();
                    handle(exchange);
                }
            });
        }

        private void handle(BodyCollector.Exchange exchange) {
            Throwable failure = exchange.failure();
            BodyRejectedException rejected = cause(failure, BodyRejectedException.class);
            boolean onlyCutShort = rejected != null && rejected.status() == null && exchange.status() > 0;
            if (failure != null && !onlyCutShort) {
                handleFailure(failure);
                return;
            }
            int status = exchange.status();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                follow(status, exchange.location());
            } else if (status == 408 || status == 429 || status >= 500) {
                retryOr(ImageStatus.FETCH_FAILED, "HTTP " + status, exchange.retryAfter());
            } else {
                finish(ImageStatus.FETCH_FAILED, "HTTP " + status, false); // 404 and the like: definite
            }
        }

        private void handleFailure(Throwable failure) {
            BodyRejectedException rejected = cause(failure, BodyRejectedException.class);
            BlockedAddressException blocked = cause(failure, BlockedAddressException.class);
            if (rejected != null) {
                finish(rejected.status(), rejected.getMessage(), false);
            } else if (blocked != null) {
                finish(ImageStatus.BLOCKED, blocked.getMessage(), false);
            } else if (cause(failure, UnknownHostException.class) != null) {
                finish(ImageStatus.FETCH_FAILED, "unknown host: " + url.host(), true);
            } else if (cause(failure, SSLException.class) != null) {
                finish(ImageStatus.FETCH_FAILED, "TLS failed: " + failure.getMessage(), true);
            } else if (cause(failure, TimeoutException.class) != null || cause(failure, SocketTimeoutException.class) != null) {
                retryOr(ImageStatus.TIMEOUT, "timed out: " + failure.getMessage(), null);
            } else {
                retryOr(ImageStatus.FETCH_FAILED, "connection failed: " + failure, null);
            }
        }

        private void follow(int status, String location) {
            if (location == null) {
                finish(ImageStatus.FETCH_FAILED, "HTTP " + status + " without a Location", false);
                return;
            }
            if (++redirects > settings.maxRedirects()) {
                finish(ImageStatus.FETCH_FAILED, "more than " + settings.maxRedirects() + " redirects", false);
                return;
            }
            FetchUrl next;
            try {
                next = url.redirect(location, settings.maxUrlLength());
            } catch (UrlRefusedException e) {
                finish(e.status(), "redirect refused: " + e.getMessage(), false);
                return;
            }
            if (!visited.add(next.key())) {
                finish(ImageStatus.FETCH_FAILED, "redirect loop back to " + abbreviate(next.key()), false);
                return;
            }
            url = next;
            attempt();
        }

        /** Retries after a jittered back-off (or the server's Retry-After) if that fits the time budget. */
        private void retryOr(ImageStatus status, String detail, String retryAfter) {
            int attempts = retries + 1;
            if (retries >= settings.maxRetries()) {
                finish(status, detail + " (" + attempts + " attempts)", true);
                return;
            }
            long delay = Backoff.jitteredMillis(settings.initialBackoff(), retries + 1);
            OptionalLong asked = Backoff.retryAfterMillis(retryAfter, System.currentTimeMillis());
            if (asked.isPresent()) {
                delay = Math.max(delay, asked.getAsLong());
            }
            if (delay >= remainingMillis()) {
                finish(status, detail + (asked.isPresent()
                        ? " (Retry-After " + retryAfter + " is past the time budget)"
                        : " (no time left to retry after " + attempts + " attempts)"), true);
                return;
            }
            retries++;
            client.getScheduler().schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
        }

        void finish(ImageStatus status, String detail, boolean transientFailure) {
            complete(Download.failed(status, detail, transientFailure));
        }

        private void complete(Download download) {
            open.remove(this);
            Future<?> timer = hardDeadline;
            if (timer != null) {
                timer.cancel(false);
            }
            if (!result.complete(download)) {
                download.release(); // closed meanwhile: nobody will decode it
            }
        }

        private long remainingMillis() {
            return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        }
    }

    /**
     * Ends an exchange that ran out of time, and its connection. An abort alone is queued behind
     * the connection's I/O thread, which a server can keep parsing forever (an endless stream of
     * {@code 102 Processing}): the connection then stays open and keeps that thread busy. So the
     * connection is also closed under the parser, and looked at again while it is open or the
     * exchange has not ended: headers that arrive after a look start the endless parse that the
     * abort then waits behind, and Jetty's own timeout can end the exchange while its connection
     * still streams. Closing and aborting each have a thread of their own ({@link Deadlines}):
     * an abort can block on the busy I/O thread, and must not hold up the closes.
     */
    private void abort(InFlight exchange, Throwable cause) {
        deadlines.closeSoon(() -> exchange.closeConnection(cause));
        deadlines.cleanUp(() -> exchange.request().abort(cause));
        closeWhileStuck(exchange, cause, STUCK_CHECKS);
    }

    private void closeWhileStuck(InFlight exchange, Throwable cause, int checksLeft) {
        deadlines.at(System.nanoTime() + STUCK_CHECK_NANOS, () -> deadlines.closeSoon(() -> {
            boolean wasOpen = exchange.closeConnection(cause);
            if ((wasOpen || !exchange.ended().isDone()) && checksLeft > 1) {
                closeWhileStuck(exchange, cause, checksLeft - 1);
            }
        }));
    }

    /** An exchange on the wire, the connection it went out on, and what completes when it has ended in any way. */
    private static final class InFlight {
        private final Request request;
        private final CompletableFuture<?> ended;
        private final AtomicReference<EndPoint> connection = new AtomicReference<>();

        InFlight(Request request, CompletableFuture<?> ended) {
            this.request = request;
            this.ended = ended;
            // Noted when the request goes out: later Jetty may already have let go of the
            // exchange (its own timeout) while the connection still streams.
            request.onRequestCommit(committed -> connection.compareAndSet(null, endPointOf(committed)));
        }

        Request request() {
            return request;
        }

        CompletableFuture<?> ended() {
            return ended;
        }

        /**
         * Closes the exchange's connection if it has one; true if it was open. Closing is safe
         * from any thread: the I/O thread's next read fails, and Jetty fails the exchange and
         * drops the connection.
         */
        boolean closeConnection(Throwable cause) {
            EndPoint endPoint = connection.get();
            if (endPoint == null) {
                endPoint = endPointOf(request);
            }
            if (endPoint == null) {
                return false;
            }
            boolean open = endPoint.isOpen();
            endPoint.close(cause);
            return open;
        }

        /** The end point of the connection Jetty bound the request to, or of the one its response headers came on. */
        private static EndPoint endPointOf(Request request) {
            if (!(request instanceof HttpRequest http)) {
                return null;
            }
            if (http.getConnection() instanceof org.eclipse.jetty.io.Connection bound) {
                return bound.getEndPoint();
            }
            return http.getConversation().getAttribute(EndPoint.class.getName()) instanceof EndPoint answered ? answered : null;
        }
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String abbreviate(String url) {
        return url.length() <= 200 ? url : url.substring(0, 200) + "...";
    }
}
