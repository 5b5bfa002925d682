package org.mafstream.job.fetch;

import org.mafstream.schemas.ImageStatus;

/**
 * What the fetcher reports as it works, so a caller can feed its own metric system (the Flink
 * operator registers counters and a histogram) while this package stays free of Flink. Called
 * from the fetcher's threads: implementations must be thread-safe and fast.
 */
public interface FetchMetrics {
    FetchMetrics NONE = new FetchMetrics() {};

    /** A post asked for its image (URL or inline bytes). */
    default void onRequest() {}

    /** The URL's result was cached, or another post's fetch of it was already under way. */
    default void onCacheHit() {}

    /** The URL is fetched for this request. */
    default void onCacheMiss() {}

    /** One HTTP exchange was sent (first attempt, retry or redirect hop). */
    default void onHttpExchange() {}

    /** Body bytes received over HTTP (after any transfer decoding). */
    default void onBytes(long bytes) {}

    /** A request finished with {@code status} after {@code millis}. */
    default void onResult(ImageStatus status, long millis) {}
}
