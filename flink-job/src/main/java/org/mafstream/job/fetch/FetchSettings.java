package org.mafstream.job.fetch;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.mafstream.image.ImageLimits;

/**
 * Limits of the image fetcher. Serializable so a Flink function can carry it and build the
 * fetcher in {@code open()}. Build with {@link #builder()} or change a copy with {@link #toBuilder()}.
 *
 * @param maxConcurrency HTTP exchanges in flight at once, and image bodies held in memory (a body
 *     keeps its slot until it is decoded), so at most this many × {@code imageLimits.maxBytes}
 * @param maxPerHost HTTP exchanges in flight to one host:port
 * @param connectTimeout TCP (and TLS) connection set-up
 * @param attemptTimeout one exchange, from sending the request to the last body byte: a server
 *     that trickles bytes forever is cut off here
 * @param totalTimeout one URL (or inline image), all redirects, retries and back-off waits included,
 *     and the wait for a decode thread and the decode: a result is never later than this
 * @param maxRedirects redirects followed, each re-checked against the SSRF policy
 * @param maxRetries retries after the first attempt, only for timeouts, connection errors, 408,
 *     429 and 5xx, and only while they fit in {@code totalTimeout}
 * @param initialBackoff first retry delay; doubled per retry, each delay random in [d/2, d];
 *     a longer {@code Retry-After} wins
 * @param imageLimits byte (also the download limit), pixel and side limits of an image
 * @param maxUrlLength longer URLs are refused without a request
 * @param blockNonPublicAddresses the SSRF policy: refuse every address that is not
 *     {@link AddressKind#PUBLIC} unless {@code allowList} names it
 * @param allowList {@link AllowList} entries
 * @param cacheMaxBytes bound of the tensor cache, by the tensors' size; 0 turns caching (and the
 *     sharing of concurrent fetches of one URL) off
 * @param cacheTtl how long a tensor stays cached after it was fetched
 * @param negativeTtl how long a definite failure (404, blocked, not an image, too large, corrupt)
 *     stays cached, so a repost does not fetch again
 * @param transientTtl how long a transient failure (timeout, 5xx, connection error) stays
 *     cached; zero: not at all
 * @param decodeThreads threads decoding and tensorizing, never Jetty's I/O threads
 * @param userAgent the User-Agent header
 * @param maxPerAddress HTTP exchanges in flight to one resolved IP address, whatever host names
 *     led there (many names for one server must not take every slot); by default
 *     {@code maxPerHost}. Shared CDN addresses serve many sites: raise it if they matter more
 * @param dnsThreads threads for name lookups, which block: a name server that hangs holds one
 *     per name for as long as the system resolver waits (lookups of one name are shared); never
 *     Jetty's threads
 */
public record FetchSettings(
        int maxConcurrency,
        int maxPerHost,
        Duration connectTimeout,
        Duration attemptTimeout,
        Duration totalTimeout,
        int maxRedirects,
        int maxRetries,
        Duration initialBackoff,
        ImageLimits imageLimits,
        int maxUrlLength,
        boolean blockNonPublicAddresses,
        List<String> allowList,
        long cacheMaxBytes,
        Duration cacheTtl,
        Duration negativeTtl,
        Duration transientTtl,
        int decodeThreads,
        String userAgent,
        int maxPerAddress,
        int dnsThreads)
        implements Serializable {

    public FetchSettings {
        if (maxConcurrency < 1 || maxPerHost < 1 || decodeThreads < 1 || maxPerAddress < 1 || dnsThreads < 1) {
            throw new IllegalArgumentException("maxConcurrency, maxPerHost, maxPerAddress, decodeThreads and dnsThreads must be >= 1");
        }
        if (maxRedirects < 0 || maxRetries < 0 || cacheMaxBytes < 0 || maxUrlLength < 1) {
            throw new IllegalArgumentException("maxRedirects, maxRetries and cacheMaxBytes must be >= 0, maxUrlLength >= 1");
        }
        for (Duration d : new Duration[]{connectTimeout, attemptTimeout, totalTimeout, initialBackoff, cacheTtl, negativeTtl, transientTtl}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("durations must be given and not negative: " + d);
            }
        }
        Objects.requireNonNull(imageLimits, "imageLimits");
        Objects.requireNonNull(userAgent, "userAgent");
        allowList = List.copyOf(allowList);
        AllowList.parse(allowList); // refuse a bad entry now, not in open()
    }

    /** The settings before {@code maxPerAddress} and {@code dnsThreads}: those get their defaults. */
    public FetchSettings(int maxConcurrency, int maxPerHost, Duration connectTimeout, Duration attemptTimeout,
                         Duration totalTimeout, int maxRedirects, int maxRetries, Duration initialBackoff,
                         ImageLimits imageLimits, int maxUrlLength, boolean blockNonPublicAddresses, List<String> allowList,
                         long cacheMaxBytes, Duration cacheTtl, Duration negativeTtl, Duration transientTtl,
                         int decodeThreads, String userAgent) {
        this(maxConcurrency, maxPerHost, connectTimeout, attemptTimeout, totalTimeout, maxRedirects, maxRetries,
                initialBackoff, imageLimits, maxUrlLength, blockNonPublicAddresses, allowList, cacheMaxBytes, cacheTtl,
                negativeTtl, transientTtl, decodeThreads, userAgent, maxPerHost, Builder.DEFAULT_DNS_THREADS);
    }

    /** Defaults: see {@link Builder}. */
    public static FetchSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxConcurrency = maxConcurrency;
        b.maxPerHost = maxPerHost;
        b.connectTimeout = connectTimeout;
        b.attemptTimeout = attemptTimeout;
        b.totalTimeout = totalTimeout;
        b.maxRedirects = maxRedirects;
        b.maxRetries = maxRetries;
        b.initialBackoff = initialBackoff;
        b.imageLimits = imageLimits;
        b.maxUrlLength = maxUrlLength;
        b.blockNonPublicAddresses = blockNonPublicAddresses;
        b.allowList = allowList;
        b.cacheMaxBytes = cacheMaxBytes;
        b.cacheTtl = cacheTtl;
        b.negativeTtl = negativeTtl;
        b.transientTtl = transientTtl;
        b.decodeThreads = decodeThreads;
        b.userAgent = userAgent;
        b.maxPerAddress = maxPerAddress == maxPerHost ? null : maxPerAddress; // still follows maxPerHost
        b.dnsThreads = dnsThreads;
        return b;
    }

    /** The parsed allow-list. */
    public AllowList parsedAllowList() {
        return AllowList.parse(allowList);
    }

    /** Starts from the defaults written next to each field. */
    public static final class Builder {
        static final int DEFAULT_DNS_THREADS = 16;

        private int maxConcurrency = 64;
        private int maxPerHost = 8;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration attemptTimeout = Duration.ofSeconds(5);
        private Duration totalTimeout = Duration.ofSeconds(10);
        private int maxRedirects = 5;
        private int maxRetries = 2;
        private Duration initialBackoff = Duration.ofMillis(200);
        private ImageLimits imageLimits = ImageLimits.defaults(); // 10 MiB, 40 Mpx
        private int maxUrlLength = 4096;
        private boolean blockNonPublicAddresses = true;
        private List<String> allowList = List.of();
        private long cacheMaxBytes = 256L * 1024 * 1024; // ~400 tensors of 224 × 224 × 3 floats
        private Duration cacheTtl = Duration.ofHours(1);
        private Duration negativeTtl = Duration.ofSeconds(60);
        private Duration transientTtl = Duration.ZERO;
        private int decodeThreads = 2;
        private String userAgent = "maf-stream-image-fetcher/0.1";
        private Integer maxPerAddress; // null: maxPerHost
        private int dnsThreads = DEFAULT_DNS_THREADS;

        private Builder() {}

        public Builder maxConcurrency(int v) { maxConcurrency = v; return this; }
        public Builder maxPerHost(int v) { maxPerHost = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder attemptTimeout(Duration v) { attemptTimeout = v; return this; }
        public Builder totalTimeout(Duration v) { totalTimeout = v; return this; }
        public Builder maxRedirects(int v) { maxRedirects = v; return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder initialBackoff(Duration v) { initialBackoff = v; return this; }
        public Builder imageLimits(ImageLimits v) { imageLimits = v; return this; }
        public Builder maxUrlLength(int v) { maxUrlLength = v; return this; }
        public Builder blockNonPublicAddresses(boolean v) { blockNonPublicAddresses = v; return this; }
        public Builder allowList(List<String> v) { allowList = v; return this; }
        public Builder cacheMaxBytes(long v) { cacheMaxBytes = v; return this; }
        public Builder cacheTtl(Duration v) { cacheTtl = v; return this; }
        public Builder negativeTtl(Duration v) { negativeTtl = v; return this; }
        public Builder transientTtl(Duration v) { transientTtl = v; return this; }
        public Builder decodeThreads(int v) { decodeThreads = v; return this; }
        public Builder userAgent(String v) { userAgent = v; return this; }
        public Builder maxPerAddress(int v) { maxPerAddress = v; return this; }
        public Builder dnsThreads(int v) { dnsThreads = v; return this; }

        public FetchSettings build() {
            return new FetchSettings(maxConcurrency, maxPerHost, connectTimeout, attemptTimeout, totalTimeout,
                    maxRedirects, maxRetries, initialBackoff, imageLimits, maxUrlLength, blockNonPublicAddresses,
                    allowList, cacheMaxBytes, cacheTtl, negativeTtl, transientTtl, decodeThreads, userAgent,
                    maxPerAddress == null ? maxPerHost : maxPerAddress, dnsThreads);
        }
    }
}
