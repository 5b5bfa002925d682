package org.mafstream.job.registry.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP request to the registry, as much of it as the REST API reads.
 *
 * @param rawPath the path still percent-encoded, so that an encoded {@code /} inside a subject
 *     name does not split it
 * @param rawQuery the query string, or null
 * @param contentType the Content-Type header, or null
 */
record RegistryRequest(String method, String rawPath, String rawQuery, String contentType, byte[] body) {

    /** The path's segments, each percent-decoded; {@code +} stays a plus sign, as in any URL path. */
    List<String> segments() {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** Whether the query has {@code name=true}. */
    boolean flag(String name) {
        if (rawQuery == null) {
            return false;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return Boolean.parseBoolean(pair.substring(equals + 1));
            }
        }
        return false;
    }
}
