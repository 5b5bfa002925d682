package org.mafstream.job.fetch;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/** Retry delays: capped exponential with jitter, or the server's {@code Retry-After} if longer. */
final class Backoff {
    private static final long MAX_EXPONENT = 16;

    private Backoff() {}

    /**
     * The delay before retry number {@code retry} (1 for the first): random in [d/2, d] for
     * d = initial × 2^(retry−1), so that many clients failing together do not retry together.
     */
    static long jitteredMillis(Duration initial, int retry) {
        long cap = Math.max(1, initial.toMillis() << Math.min(retry - 1, MAX_EXPONENT));
        return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    /**
     * A {@code Retry-After} value in milliseconds from {@code nowMillis}: delta-seconds or an
     * HTTP-date (RFC 9110). Empty when absent or unreadable; a date in the past is zero.
     */
    static OptionalLong retryAfterMillis(String value, long nowMillis) {
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return OptionalLong.of(Math.multiplyExact(Long.parseLong(v), 1000L));
            } catch (ArithmeticException | NumberFormatException e) {
                return OptionalLong.of(Long.MAX_VALUE); // absurdly far: treated as "not within the budget"
            }
        }
        try {
            long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return OptionalLong.of(Math.max(0, at - nowMillis));
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }
}
