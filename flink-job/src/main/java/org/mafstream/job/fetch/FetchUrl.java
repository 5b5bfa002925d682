package org.mafstream.job.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.mafstream.schemas.ImageStatus;

/**
 * A URL the fetcher may request: absolute http or https, a host that is no ambiguous number
 * ({@link IpLiterals#ambiguity}), a valid port, no user-info, not over the length limit. Refusals
 * by policy (scheme, credentials, length, ambiguous host) are {@link ImageStatus#BLOCKED}; URLs
 * that cannot be requested at all are {@link ImageStatus#FETCH_FAILED}. Whether the host's addresses may be connected to is decided
 * later, when it is resolved ({@link GuardedResolver}).
 *
 * <p>{@link #key()} is the normalized form: scheme and host in lower case, the default port
 * dropped, the fragment dropped, an empty path as {@code /}, path and query kept byte for byte.
 * It is both the cache key and the URL requested.
 */
final class FetchUrl {
    private final URI uri;
    private final String host;
    private final int port;
    private final String key;

    private FetchUrl(URI uri, String host, int port, String key) {
        this.uri = uri;
        this.host = host;
        this.port = port;
        this.key = key;
    }

    static FetchUrl parse(String text, int maxLength) throws UrlRefusedException {
        if (text == null) {
            throw new UrlRefusedException(ImageStatus.FETCH_FAILED, "malformed URL: no URL given");
        }
        if (text.length() > maxLength) {
            throw new UrlRefusedException(ImageStatus.BLOCKED,
                    "URL is " + text.length() + " characters, over the limit of " + maxLength);
        }
        try {
            return of(new URI(text.strip()));
        } catch (URISyntaxException e) {
            throw new UrlRefusedException(ImageStatus.FETCH_FAILED, "malformed URL: " + e.getMessage());
        }
    }

    /** The target of a redirect from this URL; relative Locations resolve against it. */
    FetchUrl redirect(String location, int maxLength) throws UrlRefusedException {
        if (location.length() > maxLength) {
            throw new UrlRefusedException(ImageStatus.BLOCKED,
                    "redirect Location is " + location.length() + " characters, over the limit of " + maxLength);
        }
        try {
            return of(uri.resolve(new URI(location.strip())));
        } catch (URISyntaxException e) {
            throw new UrlRefusedException(ImageStatus.FETCH_FAILED, "malformed redirect Location: " + e.getMessage());
        }
    }

    private static FetchUrl of(URI uri) throws UrlRefusedException {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new UrlRefusedException(ImageStatus.BLOCKED,
                    scheme == null ? "not an absolute URL" : "scheme '" + scheme + "' is not http or https");
        }
        String authority = uri.getRawAuthority();
        if (uri.getRawUserInfo() != null || authority != null && authority.indexOf('@') >= 0) {
            throw new UrlRefusedException(ImageStatus.BLOCKED, "URL carries credentials (user-info)");
        }
        if (authority != null) {
            // Before the host check: java.net.URI takes 0177.0.0.1 as a host but not 127.1; both are refused alike.
            String rawHost = rawHost(authority);
            var ambiguity = IpLiterals.ambiguity(rawHost);
            if (ambiguity.isPresent()) {
                throw new UrlRefusedException(ImageStatus.BLOCKED, "ambiguous numeric host '" + rawHost + "': " + ambiguity.get());
            }
        }
        if (uri.getHost() == null) {
            throw new UrlRefusedException(ImageStatus.FETCH_FAILED,
                    "URL has no valid host: " + (authority == null ? "(none)" : authority));
        }
        int defaultPort = "https".equals(scheme) ? 443 : 80;
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new UrlRefusedException(ImageStatus.FETCH_FAILED, "port out of range: " + port);
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String key = scheme + "://" + host + (port == defaultPort ? "" : ":" + port) + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        try {
            return new FetchUrl(new URI(key), HostNames.normalize(host), port, key);
        } catch (URISyntaxException e) {
            throw new UrlRefusedException(ImageStatus.FETCH_FAILED, "malformed URL: " + e.getMessage());
        }
    }

    /** The authority without its port (user-info is refused before this is asked). */
    private static String rawHost(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    /** The normalized URL: what is requested and what the cache is keyed by. */
    String key() {
        return key;
    }

    URI uri() {
        return uri;
    }

    /** Lower case, without IPv6 brackets. */
    String host() {
        return host;
    }

    /** The port connected to (the scheme's default when the URL names none). */
    int port() {
        return port;
    }

    /** What the per-host concurrency limit counts by. */
    String hostAndPort() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return key;
    }
}
