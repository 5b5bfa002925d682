package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

    @Test
    void boundsEachHostAndLetsOtherHostsPass() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(3, 2, Runnable::run);
        CompletableFuture<ConcurrencyLimiter.Permit> a1 = limiter.acquire("a");
        CompletableFuture<ConcurrencyLimiter.Permit> a2 = limiter.acquire("a");
        CompletableFuture<ConcurrencyLimiter.Permit> a3 = limiter.acquire("a");
        CompletableFuture<ConcurrencyLimiter.Permit> b1 = limiter.acquire("b");
        assertThat(a1).isDone();
        assertThat(a2).isDone();
        assertThat(a3).isNotDone(); // host a is full
        assertThat(b1).isDone(); // b is not held up behind a's waiter
        CompletableFuture<ConcurrencyLimiter.Permit> c1 = limiter.acquire("c");
        assertThat(c1).isNotDone(); // 3 in total

        a1.join().releaseHost(); // a has room, but the global slot is still held (body not decoded)
        assertThat(a3).isNotDone();
        a1.join().release();
        assertThat(a3).isDone(); // first in line whose host has room
        assertThat(c1).isNotDone();
        b1.join().release();
        assertThat(c1).isDone();
        assertThat(limiter.usage()).containsExactly(3, 3);
    }

    @Test
    void boundsEachAddressWhateverTheHostNames() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(8, 4, 2, Runnable::run);
        CompletableFuture<ConcurrencyLimiter.Permit> a = limiter.acquire("a.example:80", "192.0.2.1");
        CompletableFuture<ConcurrencyLimiter.Permit> b = limiter.acquire("b.example:80", "192.0.2.1");
        CompletableFuture<ConcurrencyLimiter.Permit> c = limiter.acquire("c.example:80", "192.0.2.1");
        CompletableFuture<ConcurrencyLimiter.Permit> other = limiter.acquire("d.example:80", "198.51.100.7");
        assertThat(a).isDone();
        assertThat(b).isDone();
        assertThat(c).isNotDone(); // a third name, the same address
        assertThat(other).isDone(); // not behind c's wait, which holds no slot
        assertThat(limiter.usage()[0]).isEqualTo(3);
        a.join().releaseHost();
        assertThat(c).isDone();
    }

    @Test
    void releasingTwiceCountsOnce() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 1, Runnable::run);
        ConcurrencyLimiter.Permit p = limiter.acquire("a").join();
        p.release();
        p.release();
        p.releaseHost();
        ConcurrencyLimiter.Permit q = limiter.acquire("a").join();
        assertThat(limiter.acquire("b")).isNotDone();
        q.release();
        assertThat(limiter.usage()[0]).isEqualTo(1); // the waiter for b got it
    }

    @Test
    void closingFailsWaiters() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 1, Runnable::run);
        limiter.acquire("a").join();
        CompletableFuture<ConcurrencyLimiter.Permit> waiting = limiter.acquire("a");
        limiter.close();
        assertThat(waiting).isCompletedExceptionally();
        assertThat(limiter.acquire("b")).isCompletedExceptionally();
    }
}
