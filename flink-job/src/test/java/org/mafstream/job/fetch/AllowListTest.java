package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowListTest {

    private static boolean permits(AllowList list, String host, String address, int port) throws Exception {
        return list.permits(host, InetAddress.getByName(address), port);
    }

    @Test
    void anAddressWithAPortAllowsThatPortOnly() throws Exception {
        AllowList list = AllowList.parse(List.of("127.0.0.1:8080"));
        assertThat(permits(list, "127.0.0.1", "127.0.0.1", 8080)).isTrue();
        assertThat(permits(list, "localhost", "127.0.0.1", 8080)).isTrue(); // judged by the address
        assertThat(permits(list, "127.0.0.1", "127.0.0.1", 8081)).isFalse();
        assertThat(permits(list, "127.0.0.1", "127.0.0.2", 8080)).isFalse();
    }

    @Test
    void cidrBlocksMatchByPrefix() throws Exception {
        AllowList list = AllowList.parse(List.of("10.20.0.0/16", "172.16.0.0/12", "[fd00::/8]", "::1"));
        assertThat(permits(list, "x", "10.20.255.1", 80)).isTrue();
        assertThat(permits(list, "x", "10.21.0.1", 80)).isFalse();
        assertThat(permits(list, "x", "172.31.9.9", 443)).isTrue();
        assertThat(permits(list, "x", "172.32.0.1", 443)).isFalse();
        assertThat(permits(list, "x", "fd12::1", 443)).isTrue();
        assertThat(permits(list, "x", "fc00::1", 443)).isFalse();
        assertThat(permits(list, "x", "::1", 1)).isTrue();
        assertThat(permits(list, "x", "127.0.0.1", 1)).isFalse(); // an IPv4 address never matches an IPv6 block
    }

    @Test
    void bracketedIpv6TakesAPort() throws Exception {
        AllowList list = AllowList.parse(List.of("[::1]:9000"));
        assertThat(permits(list, "x", "::1", 9000)).isTrue();
        assertThat(permits(list, "x", "::1", 9001)).isFalse();
    }

    @Test
    void hostNamesMatchTheUrlHostCaseInsensitively() throws Exception {
        AllowList list = AllowList.parse(List.of("Images.Internal", "thumbs.internal:8443"));
        assertThat(permits(list, "images.internal", "10.1.2.3", 80)).isTrue();
        assertThat(permits(list, "IMAGES.INTERNAL.", "10.1.2.3", 443)).isTrue();
        assertThat(permits(list, "other.internal", "10.1.2.3", 80)).isFalse();
        assertThat(permits(list, "thumbs.internal", "10.1.2.3", 8443)).isTrue();
        assertThat(permits(list, "thumbs.internal", "10.1.2.3", 443)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "127.0.0.1:0", "127.0.0.1:70000", "[::1", "[::1]x", "a b", "host:port", "10.0.0.0/x", "exa$mple.com",
            "010.0.0.1", "127.1", "0x7f000001/32"})
    void refusesEntriesThatDoNotParse(String entry) {
        assertThatThrownBy(() -> AllowList.parse(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(entry);
    }

    @Test
    void theSettingsRefuseABadEntryAtOnce() {
        assertThatThrownBy(() -> FetchSettings.builder().allowList(List.of("not an entry")).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
