package org.mafstream.job.pipeline;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.mafstream.job.fetch.FetchMetrics;
import org.mafstream.schemas.ImageStatus;

/**
 * The fetcher's events as Flink metrics under the operator's group {@code image}: counters
 * {@code requests}, {@code cacheHits}, {@code cacheMisses}, {@code httpExchanges}, {@code bytes},
 * one per outcome under {@code status.<STATUS>} (failures by reason, OK included),
 * {@code asyncTimeouts} (posts Flink's timeout sent on without an image, counted apart because
 * their fetch still reports its own outcome when it ends), and the
 * histogram {@code latencyMillis} over the last 1000 requests. Thread-safe counters: the fetcher
 * reports from its HTTP and decode threads.
 */
final class FlinkFetchMetrics implements FetchMetrics {
    private final Counter requests;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter httpExchanges;
    private final Counter bytes;
    private final Counter asyncTimeouts;
    private final Map<ImageStatus, Counter> byStatus = new EnumMap<>(ImageStatus.class);
    private final Histogram latency;

    FlinkFetchMetrics(MetricGroup operatorGroup) {
        MetricGroup group = operatorGroup.addGroup("image");
        requests = group.counter("requests", new ThreadSafeSimpleCounter());
        cacheHits = group.counter("cacheHits", new ThreadSafeSimpleCounter());
        cacheMisses = group.counter("cacheMisses", new ThreadSafeSimpleCounter());
        httpExchanges = group.counter("httpExchanges", new ThreadSafeSimpleCounter());
        bytes = group.counter("bytes", new ThreadSafeSimpleCounter());
        asyncTimeouts = group.counter("asyncTimeouts", new ThreadSafeSimpleCounter());
        MetricGroup statuses = group.addGroup("status");
        for (ImageStatus status : ImageStatus.values()) {
            byStatus.put(status, statuses.counter(status.name(), new ThreadSafeSimpleCounter()));
        }
        latency = group.histogram("latencyMillis", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void onRequest() {
        requests.inc();
    }

    @Override
    public void onCacheHit() {
        cacheHits.inc();
    }

    @Override
    public void onCacheMiss() {
        cacheMisses.inc();
    }

    @Override
    public void onHttpExchange() {
        httpExchanges.inc();
    }

    @Override
    public void onBytes(long n) {
        bytes.inc(n);
    }

    @Override
    public void onResult(ImageStatus status, long millis) {
        byStatus.get(status).inc();
        latency.update(millis);
    }

    /** Flink's async timeout fired for a post. */
    void onAsyncTimeout() {
        asyncTimeouts.inc();
    }
}
