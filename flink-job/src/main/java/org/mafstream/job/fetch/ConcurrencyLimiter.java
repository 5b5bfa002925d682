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
 * Asynchronous permits, bounded overall, per host and per resolved address; nobody blocks a
 * thread to wait. A waiter is served in arrival order among those whose host and address have
 * room, so one slow host, or one server behind many host names, cannot hold up the others beyond
 * its own share: a waiter without room holds no slot.
 *
 * <p>A {@link Permit} has two parts, released separately: the host part (host and address) ends
 * with the HTTP exchange, the global part when the body has been decoded, so the global bound
 * also bounds the bodies held in memory.
 */
final class ConcurrencyLimiter {
    private final int maxTotal;
    private final int maxPerHost;
    private final int maxPerAddress;
    private final Executor handOff;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final Map<String, Integer> perHost = new HashMap<>();
    private final Map<String, Integer> perAddress = new HashMap<>();
    private int total;
    private int peakTotal;
    private boolean closed;

    private record Waiter(String host, String address, CompletableFuture<Permit> future) {}

    /**
     * @param handOff runs a waiter's next step when it gets its permit; not the releasing thread,
     *     whose own stack may be deep in an exchange that failed at once (a blocked address), so a
     *     long queue of such exchanges cannot recurse into a stack overflow
     */
    ConcurrencyLimiter(int maxTotal, int maxPerHost, int maxPerAddress, Executor handOff) {
        this.maxTotal = maxTotal;
        this.maxPerHost = maxPerHost;
        this.maxPerAddress = maxPerAddress;
        this.handOff = handOff;
    }

    ConcurrencyLimiter(int maxTotal, int maxPerHost, Executor handOff) {
        this(maxTotal, maxPerHost, maxPerHost, handOff);
    }

    /** A permit for one exchange to {@code host}, address not counted; completes when there is room. */
    CompletableFuture<Permit> acquire(String host) {
        return acquire(host, null);
    }

    /** A permit for one exchange to {@code host} at {@code address} (null: not counted); completes when there is room. */
    CompletableFuture<Permit> acquire(String host, String address) {
        CompletableFuture<Permit> future = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                future.completeExceptionally(new IllegalStateException("image fetcher is closed"));
            } else if (hasRoom(host, address)) {
                future.complete(grant(host, address));
            } else {
                waiters.add(new Waiter(host, address, future));
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

    private boolean hasRoom(String host, String address) {
        return total < maxTotal && perHost.getOrDefault(host, 0) < maxPerHost
                && (address == null || perAddress.getOrDefault(address, 0) < maxPerAddress);
    }

    private Permit grant(String host, String address) {
        total++;
        peakTotal = Math.max(peakTotal, total);
        perHost.merge(host, 1, Integer::sum);
        if (address != null) {
            perAddress.merge(address, 1, Integer::sum);
        }
        return new Permit(host, address);
    }

    private void released(Permit permit, boolean hostPart, boolean global) {
        List<Runnable> grants = new ArrayList<>();
        synchronized (this) {
            if (hostPart) {
                perHost.computeIfPresent(permit.host, (h, n) -> n == 1 ? null : n - 1);
                if (permit.address != null) {
                    perAddress.computeIfPresent(permit.address, (a, n) -> n == 1 ? null : n - 1);
                }
            }
            if (global) {
                total--;
            }
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext() && total < maxTotal; ) {
                Waiter w = it.next();
                if (hasRoom(w.host(), w.address())) {
                    it.remove();
                    Permit granted = grant(w.host(), w.address());
                    grants.add(() -> {
                        if (!w.future().complete(granted)) {
                            granted.release(); // the waiter gave up meanwhile
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
        private final String address;
        private final AtomicBoolean hostHeld = new AtomicBoolean(true);
        private final AtomicBoolean globalHeld = new AtomicBoolean(true);

        private Permit(String host, String address) {
            this.host = host;
            this.address = address;
        }

        /** The exchange is over: the host and the address may take another. */
        void releaseHost() {
            if (hostHeld.compareAndSet(true, false)) {
                released(this, true, false);
            }
        }

        /** Everything this permit still holds. */
        void release() {
            boolean hostPart = hostHeld.compareAndSet(true, false);
            boolean global = globalHeld.compareAndSet(true, false);
            if (hostPart || global) {
                released(this, hostPart, global);
            }
        }
    }
}
