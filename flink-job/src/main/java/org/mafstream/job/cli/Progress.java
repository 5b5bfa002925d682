package org.mafstream.job.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.mafstream.cli.Durations;

/**
 * Progress of one long step, with its rate and ETA, at most every ten seconds and only once the
 * step has run that long: {@code evaluate: 1200/3257 sentences (37%), 8.1/s, ETA 4m13s}. A step
 * that ends sooner prints nothing. Thread-safe: counts may come from the threads doing the work.
 */
public final class Progress {
    static final Duration EVERY = Duration.ofSeconds(10);

    private final String step;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final long everyNanos;
    private final long startNanos = System.nanoTime();
    private long nextReportNanos;
    private long done;

    public Progress(String step, long total, String unit, PrintStream out) {
        this(step, total, unit, out, EVERY);
    }

    public Progress(String step, long total, String unit, PrintStream out, Duration every) {
        this.step = step;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.everyNanos = every.toNanos();
        this.nextReportNanos = startNanos + everyNanos;
    }

    /** {@code count} more units are done. */
    public synchronized void advance(long count) {
        done += count;
        long now = System.nanoTime();
        if (now >= nextReportNanos && done < total) {
            nextReportNanos = now + everyNanos;
            out.println(line(now));
        }
    }

    synchronized String line(long nowNanos) {
        double seconds = (nowNanos - startNanos) / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        String eta = done == 0 ? "ETA unknown" : "ETA " + Durations.format((total - done) / rate);
        return String.format(Locale.ROOT, "%s: %d/%d %s (%d%%), %.1f/s, %s", step, done, total, unit,
                total == 0 ? 100 : done * 100 / total, rate, eta);
    }
}
