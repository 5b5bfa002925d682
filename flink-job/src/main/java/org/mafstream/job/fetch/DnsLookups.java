package org.mafstream.job.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Name lookups off every other thread: a {@link HostResolver} blocks (the system's for as long as
 * its name servers take), so lookups run on a bounded pool of their own, never on Jetty's threads,
 * where a few hanging names used to stall every exchange. Concurrent lookups of one name share
 * one call; nothing is cached beyond that (the JDK's resolver caches). IP literals are answered
 * at once. Callers bound the wait by their own deadlines; a hanging lookup holds a thread, not them.
 */
final class DnsLookups implements AutoCloseable {
    private final HostResolver resolver;
    private final ThreadPoolExecutor pool;
    private final ConcurrentHashMap<String, CompletableFuture<List<InetAddress>>> inFlight = new ConcurrentHashMap<>();

    DnsLookups(HostResolver resolver, int threads) {
        this.resolver = resolver;
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "image-fetch-dns-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** The addresses of {@code host} (a name or an IP literal, IPv6 with or without brackets). */
    CompletableFuture<List<InetAddress>> resolve(String host) {
        String name = HostNames.normalize(host);
        InetAddress literal = IpLiterals.toAddress(name);
        if (literal != null) {
            return CompletableFuture.completedFuture(List.of(literal));
        }
        if (name.indexOf(':') < 0 && IpLiterals.ambiguity(name).isPresent()) { // FetchUrl refuses these already
            return CompletableFuture.failedFuture(new BlockedAddressException(name + " is an ambiguous numeric host"));
        }
        CompletableFuture<List<InetAddress>> mine = new CompletableFuture<>();
        CompletableFuture<List<InetAddress>> shared = inFlight.putIfAbsent(name, mine);
        if (shared != null) {
            return shared;
        }
        try {
            pool.execute(() -> {
                List<InetAddress> addresses = null;
                Throwable failure = null;
                try {
                    addresses = List.copyOf(resolver.resolve(name));
                } catch (Exception | Error e) {
                    failure = e;
                }
                inFlight.remove(name, mine); // before completing: a later caller starts a fresh lookup
                if (failure == null) {
                    mine.complete(addresses);
                } else {
                    mine.completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException closed) {
            inFlight.remove(name, mine);
            mine.completeExceptionally(new UnknownHostException("image fetcher closed before looking up " + name));
        }
        return mine;
    }

    /** Interrupts lookups under way; their callers have finished (or will, by their deadlines). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
