package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mafstream.schemas.ImageStatus;

class FetchUrlTest {
    private static final int MAX = 4096;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "HTTP://Images.Example.COM/a/B.png        | http://images.example.com/a/B.png",
            "http://example.com:80/x.jpg               | http://example.com/x.jpg",
            "https://example.com:443/x.jpg             | https://example.com/x.jpg",
            "http://example.com:443/x.jpg              | http://example.com:443/x.jpg",
            "https://example.com:8443/x.jpg            | https://example.com:8443/x.jpg",
            "http://example.com                        | http://example.com/",
            "http://example.com?size=large             | http://example.com/?size=large",
            "http://example.com/x.jpg#fragment         | http://example.com/x.jpg",
            "http://example.com/a%2Fb/x.jpg?q=%41&r=1  | http://example.com/a%2Fb/x.jpg?q=%41&r=1",
            "http://example.com/Case/Kept.PNG?Q=V      | http://example.com/Case/Kept.PNG?Q=V",
            "  http://example.com/trimmed.png          | http://example.com/trimmed.png",
            "http://[2001:DB8::1]:8080/x               | http://[2001:db8::1]:8080/x",
    })
    void normalizesSchemeHostAndPortKeepsPathAndQuery(String url, String expected) throws Exception {
        assertThat(FetchUrl.parse(url, MAX).key()).isEqualTo(expected);
    }

    @Test
    void exposesHostAndEffectivePort() throws Exception {
        FetchUrl url = FetchUrl.parse("https://[::1]/x", MAX);
        assertThat(url.host()).isEqualTo("::1");
        assertThat(url.port()).isEqualTo(443);
        assertThat(FetchUrl.parse("http://Example.com/", MAX).hostAndPort()).isEqualTo("example.com:80");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "file:///etc/passwd", "ftp://example.com/x.png", "gopher://example.com:70/_x", "jar:http://example.com/a.jar!/x.png",
            "data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)", "//example.com/x.png", "/relative/x.png",
            "http://user:secret@example.com/x.png", "http://user@example.com/x.png", "https://:@example.com/x.png",
    })
    void blocksOtherSchemesRelativeUrlsAndCredentials(String url) {
        assertThatThrownBy(() -> FetchUrl.parse(url, MAX))
                .isInstanceOfSatisfying(UrlRefusedException.class, e -> assertThat(e.status()).isEqualTo(ImageStatus.BLOCKED));
    }

    @Test
    void blocksAnOverlongUrlWithoutParsingIt() {
        String url = "http://example.com/" + "a".repeat(100_000);
        assertThatThrownBy(() -> FetchUrl.parse(url, MAX))
                .isInstanceOfSatisfying(UrlRefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(ImageStatus.BLOCKED);
                    assertThat(e.getMessage()).contains("100019 characters");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://exa mple.com/x", "http://example.com/<x>", "http://", "http:no-slashes", "http://a_b.example.com/x",
            "http://example.com:99999/x", "http://example.com:0/x", "not a url at all", "http://[::1/x"})
    void failsUrlsThatCannotBeRequested(String url) {
        assertThatThrownBy(() -> FetchUrl.parse(url, MAX))
                .isInstanceOfSatisfying(UrlRefusedException.class, e -> assertThat(e.status()).isIn(ImageStatus.FETCH_FAILED, ImageStatus.BLOCKED));
    }

    /**
     * Numeric hosts that the JDK, browsers and C resolvers read differently ({@code 0177.0.0.1} is
     * 177.0.0.1 to Java, 127.0.0.1 to inet_aton) are refused, never guessed at; in a redirect too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"0177.0.0.1", "010.1.1.1", "127.000.000.001", "00.0.0.0", "0x7f.0.0.1", "0X7F.0.0.1", "0x7f000001",
            "127.1", "127.0.1", "2130706433", "017700000001", "0", "0x", "1.2.3.4.5", "256.1.1.1", "1e1.2.3.4", "foo.123",
            "0177.0.0.1.", "[::ffff:010.1.1.1]"})
    void blocksAmbiguousNumericHosts(String host) {
        for (String url : new String[]{"http://" + host + "/x.png", "https://" + host + ":8443/x.png"}) {
            assertThatThrownBy(() -> FetchUrl.parse(url, MAX)).as(url)
                    .isInstanceOfSatisfying(UrlRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(ImageStatus.BLOCKED);
                        assertThat(e.getMessage()).contains("ambiguous numeric host");
                    });
        }
        FetchUrl from = parsed("http://example.com/a.png");
        assertThatThrownBy(() -> from.redirect("http://" + host + "/x.png", MAX))
                .isInstanceOfSatisfying(UrlRefusedException.class, e -> assertThat(e.status()).isEqualTo(ImageStatus.BLOCKED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "0.0.0.0", "127.0.0.1", "255.255.255.255", "10.0.0.1", "1password.com", "123.example",
            "0x7f.example", "007.example.net", "[::1]", "[2001:db8::1]", "[::ffff:10.1.1.1]"})
    void keepsCanonicalAddressesAndNamesThatStartWithDigits(String host) throws Exception {
        // Whether the address may be connected to is the SSRF policy's business, later.
        assertThat(FetchUrl.parse("http://" + host + "/x.png", MAX).key()).isEqualTo("http://" + host + "/x.png");
    }

    private static FetchUrl parsed(String url) {
        try {
            return FetchUrl.parse(url, MAX);
        } catch (UrlRefusedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void redirectsResolveRelativeLocationsAndAreCheckedLikeTheFirstUrl() throws Exception {
        FetchUrl from = FetchUrl.parse("http://example.com/a/b.png", MAX);
        assertThat(from.redirect("c.png", MAX).key()).isEqualTo("http://example.com/a/c.png");
        assertThat(from.redirect("/d.png", MAX).key()).isEqualTo("http://example.com/d.png");
        assertThat(from.redirect("//cdn.example.net/e.png", MAX).key()).isEqualTo("http://cdn.example.net/e.png");
        assertThat(from.redirect("https://cdn.example.net:443/f.png#x", MAX).key()).isEqualTo("https://cdn.example.net/f.png");
        assertThatThrownBy(() -> from.redirect("file:///etc/passwd", MAX))
                .isInstanceOfSatisfying(UrlRefusedException.class, e -> assertThat(e.status()).isEqualTo(ImageStatus.BLOCKED));
        assertThatThrownBy(() -> from.redirect("http://u:p@cdn.example.net/", MAX))
                .isInstanceOfSatisfying(UrlRefusedException.class, e -> assertThat(e.status()).isEqualTo(ImageStatus.BLOCKED));
    }
}
