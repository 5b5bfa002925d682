package org.mafstream.job.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Counters by name, created on first use (e.g. one per dead-letter reason), and histograms,
 * under one metric group. Both are updated from several threads (batcher workers, fetch and
 * continuation threads), so both are thread-safe: Flink's plain ones are not.
 */
final class StageMetrics {
    private static final int HISTOGRAM_WINDOW = 1000;

    private final MetricGroup group;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    StageMetrics(MetricGroup group) {
        this.group = group;
    }

    void count(String name) {
        counter(name).inc();
    }

    void count(String name, long n) {
        counter(name).inc(n);
    }

    Histogram histogram(String name) {
        return group.histogram(name, new SynchronizedHistogram(new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW)));
    }

    private Counter counter(String name) {
        return counters.computeIfAbsent(name, n -> group.counter(n, new ThreadSafeSimpleCounter()));
    }

    /** A histogram updated and read under one lock. */
    private static final class SynchronizedHistogram implements Histogram {
        private final Histogram histogram;

        SynchronizedHistogram(Histogram histogram) {
            this.histogram = histogram;
        }

        @Override
        public synchronized void update(long value) {
            histogram.update(value);
        }

        @Override
        public synchronized long getCount() {
            return histogram.getCount();
        }

        @Override
        public synchronized HistogramStatistics getStatistics() {
            return histogram.getStatistics();
        }
    }
}
