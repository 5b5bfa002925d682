package org.mafstream.job.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** Counters by name, created on first use (e.g. one per dead-letter reason), and histograms, under one metric group. */
final class StageMetrics {
    private static final int HISTOGRAM_WINDOW = 1000;

    private final MetricGroup group;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    StageMetrics(MetricGroup group) {
        this.group = group;
    }

    void count(String name) {
        counters.computeIfAbsent(name, group::counter).inc();
    }

    void count(String name, long n) {
        counters.computeIfAbsent(name, group::counter).inc(n);
    }

    Histogram histogram(String name) {
        return group.histogram(name, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }
}
