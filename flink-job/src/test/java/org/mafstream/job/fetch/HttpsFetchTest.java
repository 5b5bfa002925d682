package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mafstream.job.testing.ImageServer.png;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.StandardConstants;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.job.testing.ImageServer;
import org.mafstream.job.testing.SampleImages;
import org.mafstream.schemas.ImageStatus;

/**
 * Why the fetcher is built on Jetty: it connects to the address the SSRF check passed, yet TLS
 * still uses the URL's host name. A certificate for {@code images.test} (made with the JDK's
 * keytool) is served on 127.0.0.1; the test resolver maps names to that address.
 */
class HttpsFetchTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private static ImageServer server;
    private static KeyStore keys;
    private static final Queue<String> sniNames = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("images-test.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "images", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=images.test", "-ext", "SAN=dns:images.test", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = ImageServer.https(tls, new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(SNIServerName name) {
                sniNames.add(((SNIHostName) name).getAsciiName());
                return true;
            }
        });
        server.route("/img.png", png(SampleImages.png(16, 16, 5)));
        assertThat(Files.exists(store)).isTrue();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ImageResult fetch(String host) {
        SslContextFactory.Client trustTestCertificate = new SslContextFactory.Client();
        trustTestCertificate.setTrustStore(keys);
        return fetch(host, trustTestCertificate);
    }

    private static ImageResult fetch(String host, SslContextFactory.Client tls) {
        HostResolver dns = name -> List.of(InetAddress.getByAddress(name, new byte[]{127, 0, 0, 1}));
        FetchSettings settings = FetchSettings.builder().allowList(server.allowList())
                .attemptTimeout(Duration.ofSeconds(5)).maxRetries(0).build();
        try (ImageFetcher fetcher = ImageFetcher.builder(settings, ImagePreprocessing.imagenet224())
                .resolver(dns).tls(tls).build()) {
            return fetcher.fetch("https://" + host + ":" + server.port() + "/img.png").join();
        }
    }

    @Test
    void connectsToTheCheckedAddressWhileTlsVerifiesTheHostName() {
        sniNames.clear();
        ImageResult result = fetch("images.test");
        assertThat(result.status()).as(result.detail()).isEqualTo(ImageStatus.OK);
        assertThat(sniNames).contains("images.test");
    }

    @Test
    void byDefaultOnlyTheSystemTrustStoreIsTrusted() {
        ImageResult result = fetch("images.test", null);
        assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(result.detail()).startsWith("TLS failed");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        ImageResult result = fetch("other.test"); // same address, same certificate, wrong name
        assertThat(result.status()).isEqualTo(ImageStatus.FETCH_FAILED);
        assertThat(result.detail()).startsWith("TLS failed");
    }
}
