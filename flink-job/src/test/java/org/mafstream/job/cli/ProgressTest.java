package org.mafstream.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mafstream.cli.Durations;

public class ProgressTest {

    @Test
    void aStepThatEndsBeforeTheFirstReportPrintsNothing() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Progress progress = new Progress("evaluate", 100, "sentences", new PrintStream(printed, true, StandardCharsets.UTF_8));
        progress.advance(100);
        assertThat(printed.size()).isZero();
    }

    @Test
    void reportsCountRatePercentageAndEtaOnceItsIntervalHasPassed() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Progress progress = new Progress("evaluate", 1000, "sentences",
                new PrintStream(printed, true, StandardCharsets.UTF_8), Duration.ofMillis(50));
        progress.advance(10);
        assertThat(printed.size()).isZero();
        Thread.sleep(60);
        progress.advance(240);
        String line = printed.toString(StandardCharsets.UTF_8);
        assertThat(line).startsWith("evaluate: 250/1000 sentences (25%), ").contains("/s, ETA 0m");
        // 250 done in t seconds: the other 750 take 3t
        long t = System.nanoTime();
        String later = progress.line(t);
        assertThat(later).matches("evaluate: 250/1000 sentences \\(25%\\), [0-9.]+/s, ETA 0m0[0-9]s");
    }

    @Test
    void formatsDurations() {
        assertThat(Durations.format(253)).isEqualTo("4m13s");
        assertThat(Durations.format(3900)).isEqualTo("1h05m");
        assertThat(Durations.format(-1)).isEqualTo("0m00s");
    }
}
