package org.mafstream.job.fetch;

import java.util.Locale;
import java.util.regex.Pattern;

/** Host names as the allow-list and the cache compare them. */
final class HostNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?");

    private HostNames() {}

    /** Lower case, without IPv6 brackets or a trailing dot. */
    static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    static boolean isValid(String host) {
        return host.length() <= 253 && NAME.matcher(host).matches();
    }
}
