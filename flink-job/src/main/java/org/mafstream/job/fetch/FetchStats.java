package org.mafstream.job.fetch;

/**
 * A snapshot of the fetcher's counters.
 *
 * @param httpExchanges HTTP requests sent (attempts, retries, redirect hops)
 * @param bodiesInMemory image bodies held now (arriving, or waiting to be decoded)
 * @param peakBodiesInMemory the most bodies held at once
 * @param peakPermits the most concurrency permits held at once ({@code maxConcurrency} at most)
 * @param cacheBytes weight of the cached results, in bytes
 * @param cacheEntries cached results
 */
public record FetchStats(long httpExchanges, int bodiesInMemory, int peakBodiesInMemory, int peakPermits,
                         long cacheBytes, long cacheEntries) {}
