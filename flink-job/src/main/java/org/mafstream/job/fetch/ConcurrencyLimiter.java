package org.mafstream.job.fetch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asynchronous permits, bounded overall and per host; nobody blocks a thread to wait. A waiter
 * is served in arrival order among those whose host has room, so one slow host cannot hold up
 * the others beyond its own share.
 *
 * <p>A {@link Permit} has two parts, released separately: the host part ends with the HTTP
 * exchange, the global part when the body has been decoded, so the global bound also bounds the
 * bodies held in memory.
 */
final class ConcurrencyLimiter {
    private final int maxTotal;
    private final int maxPerHost;
    private final Executor handOff;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final Map<String, Integer> perHost = new HashMap<>();
    private int total;
    private int peakTotal;
    private boolean closed;

    private record Waiter(String host, CompletableFuture<Permit> future) {}

    /**
     * @param handOff runs a waiter's next step when it gets its permit; not the releasing thread,
     *     whose own stack may be deep in an exchange that failed at once (a blocked address), so a
     *     long queue of such exchanges cannot recurse into a stack overflow
     */
    ConcurrencyLimiter(int maxTotal, int maxPerHost, Executor handOff) {
        this.maxTotal = maxTotal;
        this.maxPerHost = maxPerHost;
        this.handOff = handOff;
    }

    /** A permit for one exchange to {@code host}; completes when there is room. */
    CompletableFuture<Permit> acquire(String host) {
        CompletableFuture<Permit> future = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                future.completeExceptionally(new IllegalStateException("image fetcher is closed"));
            } else if (hasRoom(host)) {
                future.complete(grant(host));
            } else {
                waiters.add(new Waiter(host, future));
            }
        }
        return future;
    }

    /** Permits held now, and the most ever held at once. */
    synchronized int[] usage() {
        return new int[]{total, peakTotal};
    }

    /** Fails every waiter; permits still held can be released as usual. */
    void close() {
        List<Waiter> failed;
        synchronized (this) {
            closed = true;
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        failed.forEach(w -> w.future().completeExceptionally(new IllegalStateException("image fetcher is closed")));
    }

    private boolean hasRoom(String host) {
        return total < maxTotal && perHost.getOrDefault(host, 0) < maxPerHost;
    }

    private Permit grant(String host) {
        total++;
        peakTotal = Math.max(peakTotal, total);
        perHost.merge(host, 1, Integer::sum);
        return new Permit(host);
    }

    private void released(String host, boolean global) {
        List<Runnable> grants = new ArrayList<>();
        synchronized (this) {
            if (host != null) {
                perHost.computeIfPresent(host, (h, n) -> n == 1 ? null : n - 1);
            }
            if (global) {
                total--;
            }
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext() && total < maxTotal; ) {
                Waiter w = it.next();
                if (hasRoom(w.host())) {
                    it.remove();
                    Permit permit = grant(w.host());
                    grants.add(() -> {
                        if (!w.future().complete(permit)) {
                            permit.release(); // the waiter gave up meanwhile
                        }
                    });
                }
            }
        }
        for (Runnable grant : grants) { // outside the lock: completing runs the waiter's next step
            try {
                handOff.execute(grant);
            } catch (RuntimeException stopping) {
                grant.run();
            }
        }
    }

    /** One exchange's claim on the limits. Each part is released once, however often it is asked. */
    final class Permit {
        private final String host;
        private final AtomicBoolean hostHeld = new AtomicBoolean(true);
        private final AtomicBoolean globalHeld = new AtomicBoolean(true);

        private Permit(String host) {
            this.host = host;
        }

        /** The exchange is over: the host may take another. */
        void releaseHost() {
            if (hostHeld.compareAndSet(true, false)) {
                released(host, false);
            }
        }

        /** Everything this permit still holds. */
        void release() {
            boolean host = hostHeld.compareAndSet(true, false);
            boolean global = globalHeld.compareAndSet(true, false);
            if (host || global) {
                released(host ? this.host : null, global);
            }
        }
    }
}
