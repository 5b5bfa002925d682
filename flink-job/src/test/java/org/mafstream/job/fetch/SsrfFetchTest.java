package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mafstream.job.testing.ImageServer.png;
import static org.mafstream.job.testing.ImageServer.redirect;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.job.testing.ImageServer;
import org.mafstream.job.testing.SampleImages;
import org.mafstream.schemas.ImageStatus;

/**
 * The SSRF policy end to end. The test server is on loopback, which the policy blocks: only its
 * own port is allow-listed, so "the allowed server" and "a blocked target" can both be loopback.
 * Every refused target is checked to have received no connection where it is observable (a
 * second local server); private and link-local targets are refused before any packet is sent.
 */
class SsrfFetchTest {
    private static final byte[] PNG = SampleImages.png(32, 32, 7);

    private ImageServer server;
    private ImageServer forbidden;

    @BeforeEach
    void start() throws Exception {
        server = new ImageServer();
        forbidden = new ImageServer(); // also 127.0.0.1, on a port nobody allowed
        server.route("/img.png", png(PNG));
        forbidden.route("/secret.png", png(PNG));
    }

    @AfterEach
    void stop() {
        server.close();
        forbidden.close();
    }

    private FetchSettings.Builder settings() {
        return FetchSettings.builder()
                .allowList(server.allowList())
                .connectTimeout(Duration.ofMillis(500))
                .attemptTimeout(Duration.ofMillis(500))
                .totalTimeout(Duration.ofSeconds(2))
                .initialBackoff(Duration.ofMillis(20));
    }

    private ImageResult fetch(FetchSettings settings, HostResolver resolver, String url) {
        try (ImageFetcher fetcher = ImageFetcher.builder(settings, ImagePreprocessing.imagenet224()).resolver(resolver).build()) {
            return fetcher.fetch(url).join();
        }
    }

    private ImageResult fetch(String url) {
        return fetch(settings().build(), HostResolver.system(), url);
    }

    @Test
    void theAllowListedServerIsReachable() {
        assertThat(fetch(server.url("/img.png")).status()).isEqualTo(ImageStatus.OK);
    }

    @Test
    void loopbackIsBlockedByDefault() {
        ImageResult result = fetch(FetchSettings.builder().build(), HostResolver.system(), server.url("/img.png"));
        assertThat(result.status()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(result.detail()).contains("127.0.0.1 is LOOPBACK");
        assertThat(server.totalHits()).isZero();
    }

    @Test
    void turningThePolicyOffAllowsLoopback() {
        ImageResult result = fetch(FetchSettings.builder().blockNonPublicAddresses(false).build(), HostResolver.system(),
                server.url("/img.png"));
        assertThat(result.status()).isEqualTo(ImageStatus.OK);
    }

    @Test
    void anotherPortOnLoopbackIsBlocked() {
        ImageResult result = fetch(forbidden.url("/secret.png"));
        assertThat(result.status()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(forbidden.totalHits()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433:%d/img.png", "http://127.1:%d/img.png", "http://127.0.1:%d/img.png",
            "http://0x7f.0.0.1:%d/img.png", "http://0x7f000001:%d/img.png", "http://127.000.000.001:%d/img.png",
            "http://[::ffff:127.0.0.1]:%d/img.png", "http://[::ffff:7f00:1]:%d/img.png", "http://localhost:%d/img.png",
            "http://0.0.0.0:%d/img.png", "http://[::1]:%d/img.png", "http://[::]:%d/img.png", "http://127.0.0.2:%d/img.png"})
    void everySpellingOfLoopbackIsBlocked(String template) {
        // The forbidden server's port: a spelling that slipped through would reach it. The short,
        // hex, octal and integer forms are refused as ambiguous; the rest resolve to loopback.
        ImageResult result = fetch(String.format(template, forbidden.port()));
        assertThat(result.status()).as(result.detail()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(forbidden.totalHits()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d/secret.png", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/x.png",
            "http://[::ffff:10.0.0.1]/x.png", "http://[fd00::1]/x.png", "http://[fe80::1]/x.png", "http://100.64.0.1/x.png",
            "http://192.168.0.1/x.png", "http://[64:ff9b::a9fe:a9fe]/x.png", "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO"})
    void aRedirectFromTheAllowedServerToAForbiddenTargetIsBlocked(String template) {
        String target = String.format(template, forbidden.port());
        server.route("/hop", redirect(302, target));
        ImageResult result = fetch(server.url("/hop"));
        assertThat(result.status()).as(result.detail()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(server.hits("/hop")).isEqualTo(1);
        assertThat(forbidden.totalHits()).isZero();
    }

    @Test
    void aRedirectLoopFails() {
        server.route("/loop-a", redirect(302, "/loop-b")).route("/loop-b", redirect(301, server.url("/loop-a")));
        ImageResult result = fetch(server.url("/loop-a"));
        assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(result.detail()).contains("redirect loop");
        assertThat(server.hits("/loop-a")).isEqualTo(1);
        assertThat(server.hits("/loop-b")).isEqualTo(1);
    }

    @Test
    void tooManyRedirectsFail() {
        for (int i = 0; i < 10; i++) {
            server.route("/r" + i, redirect(307, "/r" + (i + 1)));
        }
        ImageResult result = fetch(settings().maxRedirects(3).build(), HostResolver.system(), server.url("/r0"));
        assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(result.detail()).contains("more than 3 redirects");
        assertThat(server.hits("/r4")).isZero();
    }

    @Test
    void aHostNameResolvingToAPrivateAddressIsBlocked() {
        HostResolver dns = host -> List.of(InetAddress.getByAddress(host, new byte[]{10, 0, 0, 1}));
        ImageResult result = fetch(settings().build(), dns, "http://evil.example/x.png");
        assertThat(result.status()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(result.detail()).contains("10.0.0.1 is PRIVATE");
        assertThat(result.transientFailure()).isFalse();
    }

    @Test
    void onlyTheCheckedAddressesAreConnectedToAndTheNameIsResolvedOnce() throws Exception {
        // A rebinding-style answer: a private address first, then the allowed one. The private one
        // is dropped, and nothing resolves the name again between the check and the connection.
        AtomicInteger lookups = new AtomicInteger();
        InetAddress loopback = InetAddress.getByAddress(new byte[]{127, 0, 0, 1});
        HostResolver dns = host -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.getByAddress(host, new byte[]{10, 0, 0, 1}), InetAddress.getByAddress(host, loopback.getAddress()));
        };
        ImageResult result = fetch(settings().build(), dns, "http://images.example:" + server.port() + "/img.png");
        assertThat(result.status()).as(result.detail()).isEqualTo(ImageStatus.OK);
        assertThat(lookups.get()).isEqualTo(1);
        assertThat(server.hits("/img.png")).isEqualTo(1);
    }

    @Test
    void anAllowListedHostNameMayResolveToAPrivateAddress() {
        HostResolver dns = host -> List.of(InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}));
        FetchSettings byName = settings().allowList(List.of("images.internal")).build();
        assertThat(fetch(byName, dns, "http://images.internal:" + server.port() + "/img.png").status()).isEqualTo(ImageStatus.OK);
        assertThat(fetch(byName, dns, "http://other.internal:" + server.port() + "/img.png").status()).isEqualTo(ImageStatus.BLOCKED);
    }

    @Test
    void credentialsInTheUrlAreBlockedEvenForAnAllowedServer() {
        ImageResult result = fetch("http://user:secret@127.0.0.1:" + server.port() + "/img.png");
        assertThat(result.status()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(result.detail()).contains("credentials");
        assertThat(server.totalHits()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://127.0.0.1/x.png", "gopher://127.0.0.1:70/_x", "jar:http://127.0.0.1/a.jar!/x.png",
            "data:image/png;base64,iVBORw0KGgo="})
    void otherSchemesAreBlocked(String url) {
        ImageResult result = fetch(url);
        assertThat(result.status()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(result.detail()).contains("is not http or https");
    }

    @Test
    void hostileUrlsNeverThrow() {
        assertThat(fetch("http://127.0.0.1:" + server.port() + "/" + "a".repeat(100_000)).status()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(fetch("http://exa mple.com/x.png").status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(fetch("").status()).isEqualTo(ImageStatus.BLOCKED);
        assertThat(fetch("\u0000\u0001").status()).isIn(ImageStatus.BLOCKED, ImageStatus.FETCH_FAILED);
        assertThat(fetch("http://no-such-host.invalid/x.png").status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(server.totalHits()).isZero();
    }
}
