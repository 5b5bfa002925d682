package org.mafstream.job.registry;

/**
 * A subject's version as Confluent's REST paths name it: a number in [1, 2^31-1], or
 * {@code latest} (also spelled {@code -1}).
 *
 * @param number the version, or {@link #LATEST_NUMBER} for the latest
 */
public record VersionSelector(int number) {
    private static final int LATEST_NUMBER = -1;
    public static final VersionSelector LATEST = new VersionSelector(LATEST_NUMBER);

    public VersionSelector {
        if (number < 1 && number != LATEST_NUMBER) {
            throw invalid(Integer.toString(number));
        }
    }

    public static VersionSelector of(int number) {
        return new VersionSelector(number);
    }

    /** {@code latest}, {@code -1} or a positive number; {@link InvalidVersionException} otherwise. */
    public static VersionSelector parse(String text) {
        if ("latest".equals(text)) {
            return LATEST;
        }
        try {
            return new VersionSelector(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    public boolean isLatest() {
        return number == LATEST_NUMBER;
    }

    private static InvalidVersionException invalid(String text) {
        return new InvalidVersionException("The specified version '" + text + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }
}
