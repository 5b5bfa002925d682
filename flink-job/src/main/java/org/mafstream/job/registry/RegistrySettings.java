package org.mafstream.job.registry;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How to reach a schema registry. Serializable so Flink functions can carry it and connect in
 * {@code open()}.
 *
 * @param urls comma-separated base URLs tried in turn, or one {@code mock://<scope>} URL
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null
 * @param requestTimeout limit for one HTTP exchange
 * @param maxRetries retries after the first attempt for 5xx, 429 and connection errors
 * @param initialBackoff first retry delay; doubled per retry, with full jitter
 * @param cacheCapacity entries kept in each of the client's caches (ids, schemas)
 */
public record RegistrySettings(
        String urls,
        String basicAuthUserInfo,
        Duration requestTimeout,
        int maxRetries,
        Duration initialBackoff,
        int cacheCapacity)
        implements Serializable {

    public static final String MOCK_SCHEME = "mock://";

    public RegistrySettings {
        Objects.requireNonNull(urls, "urls");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        if (urls.isBlank()) {
            throw new IllegalArgumentException("schema registry URL is empty");
        }
        if (maxRetries < 0 || cacheCapacity < 1) {
            throw new IllegalArgumentException("maxRetries must be >= 0 and cacheCapacity >= 1");
        }
    }

    /** Defaults: 10 s per request, 5 retries from 200 ms, 1000 cache entries. */
    public static RegistrySettings of(String urls) {
        return new RegistrySettings(urls, null, Duration.ofSeconds(10), 5, Duration.ofMillis(200), 1000);
    }

    public RegistrySettings withBasicAuth(String userInfo) {
        return new RegistrySettings(urls, userInfo, requestTimeout, maxRetries, initialBackoff, cacheCapacity);
    }

    public RegistrySettings withRetries(int retries, Duration backoff) {
        return new RegistrySettings(urls, basicAuthUserInfo, requestTimeout, retries, backoff, cacheCapacity);
    }

    public RegistrySettings withRequestTimeout(Duration timeout) {
        return new RegistrySettings(urls, basicAuthUserInfo, timeout, maxRetries, initialBackoff, cacheCapacity);
    }

    public boolean isMock() {
        return urls.startsWith(MOCK_SCHEME);
    }

    /** The scope name of a {@code mock://<scope>} URL. */
    public String mockScope() {
        return urls.substring(MOCK_SCHEME.length());
    }

    /** The HTTP base URLs, each validated as http(s). */
    public List<URI> baseUris() {
        return Arrays.stream(urls.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(RegistrySettings::parseBaseUri)
                .toList();
    }

    private static URI parseBaseUri(String url) {
        URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "schema registry URL must be http(s):// or mock://, got: " + url);
        }
        return uri;
    }

    @Override
    public String toString() {
        // Never print the password.
        return "RegistrySettings[urls=" + urls + ", basicAuth=" + (basicAuthUserInfo != null)
                + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries
                + ", initialBackoff=" + initialBackoff + ", cacheCapacity=" + cacheCapacity + "]";
    }
}
