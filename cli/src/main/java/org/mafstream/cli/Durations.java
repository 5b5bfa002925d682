package org.mafstream.cli;

import java.time.Duration;
import java.util.Locale;

/** How the tools print a duration, in progress lines and ETAs: 4m13s, 1h05m. */
public final class Durations {
    private Durations() {}

    /** {@code seconds} rounded, as 4m13s under an hour and 1h05m above; a negative one as 0m00s. */
    public static String format(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(Math.max(0, seconds)));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
