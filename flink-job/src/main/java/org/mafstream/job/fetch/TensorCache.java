package org.mafstream.job.fetch;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.mafstream.schemas.ImageStatus;

/**
 * Results by normalized URL, bounded by bytes: tensors weigh their floats, failures almost
 * nothing. Holding the future, not the value, is what makes concurrent requests for one URL share
 * one fetch. Tensors live {@code cacheTtl} after they were fetched, definite failures
 * {@code negativeTtl}, transient ones {@code transientTtl} (zero: gone when they complete).
 */
final class TensorCache {
    /** Per entry beyond the tensor: key, result, futures and Caffeine's node, roughly. */
    private static final int OVERHEAD_BYTES = 256;

    private final AsyncCache<String, ImageResult> cache;
    private final Duration transientTtl;

    TensorCache(long maxBytes, Duration ttl, Duration negativeTtl, Duration transientTtl) {
        this.transientTtl = transientTtl;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, ImageResult r) -> weight(key, r))
                .expireAfter(new ByOutcome(ttl, negativeTtl, transientTtl))
                .executor(Runnable::run) // maintenance is cheap; keep it off the common pool
                .buildAsync();
    }

    /** The URL's shared result, starting {@code load} only if none is cached or under way. */
    Lookup get(String key, Supplier<CompletableFuture<ImageResult>> load) {
        while (true) {
            boolean[] started = {false};
            CompletableFuture<ImageResult> future = cache.get(key, (k, executor) -> {
                started[0] = true;
                return load.get();
            });
            // Caffeine sets a loaded entry's expiry in a callback on its future, which can run
            // after the loader's own callers have seen the result: a transient failure meant to
            // be gone on completion may still be found for a moment. It is not a hit.
            if (!started[0] && transientTtl.isZero() && future.isDone() && !future.isCompletedExceptionally()
                    && future.join().transientFailure()) {
                cache.asMap().remove(key, future);
                continue;
            }
            return new Lookup(future, !started[0]);
        }
    }

    record Lookup(CompletableFuture<ImageResult> result, boolean hit) {}

    /** Bytes held by completed entries (after pending evictions ran). */
    long weightedBytes() {
        cache.synchronous().cleanUp();
        return cache.synchronous().policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    long entries() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }

    void clear() {
        cache.synchronous().invalidateAll();
    }

    private static int weight(String key, ImageResult r) {
        long bytes = OVERHEAD_BYTES + 2L * key.length() + 2L * r.detail().length()
                + (r.tensor() == null ? 0 : 4L * r.tensor().length);
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private record ByOutcome(Duration ttl, Duration negativeTtl, Duration transientTtl) implements Expiry<String, ImageResult> {
        @Override
        public long expireAfterCreate(String key, ImageResult r, long now) {
            Duration d = r.status() == ImageStatus.OK ? ttl : r.transientFailure() ? transientTtl : negativeTtl;
            return d.toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, ImageResult r, long now, long current) {
            return expireAfterCreate(key, r, now);
        }

        @Override
        public long expireAfterRead(String key, ImageResult r, long now, long current) {
            return current; // expire after write: reading does not extend
        }
    }
}
