package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleWithJitterInTheUpperHalf() {
        for (int i = 0; i < 200; i++) {
            assertThat(Backoff.jitteredMillis(Duration.ofMillis(100), 1)).isBetween(50L, 100L);
            assertThat(Backoff.jitteredMillis(Duration.ofMillis(100), 3)).isBetween(200L, 400L);
        }
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        long now = 1_700_000_000_000L;
        assertThat(Backoff.retryAfterMillis("3", now)).isEqualTo(OptionalLong.of(3000));
        assertThat(Backoff.retryAfterMillis(" 0 ", now)).isEqualTo(OptionalLong.of(0));
        String in10s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(now + 10_000), ZoneOffset.UTC));
        assertThat(Backoff.retryAfterMillis(in10s, now)).isEqualTo(OptionalLong.of(10_000));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(now - 10_000), ZoneOffset.UTC));
        assertThat(Backoff.retryAfterMillis(past, now)).isEqualTo(OptionalLong.of(0));
        assertThat(Backoff.retryAfterMillis("99999999999999999999", now)).isEqualTo(OptionalLong.of(Long.MAX_VALUE));
        assertThat(Backoff.retryAfterMillis("soon", now)).isEmpty();
        assertThat(Backoff.retryAfterMillis(null, now)).isEmpty();
    }
}
