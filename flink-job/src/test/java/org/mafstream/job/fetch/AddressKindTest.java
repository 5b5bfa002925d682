package org.mafstream.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressKindTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            // IPv4
            "0.0.0.0, UNSPECIFIED",
            "0.1.2.3, RESERVED",
            "10.0.0.1, PRIVATE",
            "10.255.255.255, PRIVATE",
            "100.63.255.255, PUBLIC",
            "100.64.0.1, SHARED",
            "100.127.255.255, SHARED",
            "100.128.0.0, PUBLIC",
            "127.0.0.1, LOOPBACK",
            "127.0.0.2, LOOPBACK",
            "127.255.255.254, LOOPBACK",
            "169.254.169.254, LINK_LOCAL",
            "169.254.0.1, LINK_LOCAL",
            "172.15.255.255, PUBLIC",
            "172.16.0.1, PRIVATE",
            "172.31.255.255, PRIVATE",
            "172.32.0.0, PUBLIC",
            "192.0.0.8, RESERVED",
            "192.0.2.1, DOCUMENTATION",
            "192.88.99.1, RESERVED",
            "192.167.255.255, PUBLIC",
            "192.168.1.1, PRIVATE",
            "198.17.255.255, PUBLIC",
            "198.18.0.1, RESERVED",
            "198.19.255.255, RESERVED",
            "198.20.0.0, PUBLIC",
            "198.51.100.7, DOCUMENTATION",
            "203.0.113.9, DOCUMENTATION",
            "224.0.0.1, MULTICAST",
            "239.255.255.250, MULTICAST",
            "240.0.0.1, RESERVED",
            "255.255.255.255, BROADCAST",
            "8.8.8.8, PUBLIC",
            "93.184.216.34, PUBLIC",
            // IPv6
            "::, UNSPECIFIED",
            "::1, LOOPBACK",
            "fe80::1, LINK_LOCAL",
            "febf:ffff::1, LINK_LOCAL",
            "fec0::1, UNIQUE_LOCAL",
            "fc00::1, UNIQUE_LOCAL",
            "fd12:3456:789a::1, UNIQUE_LOCAL",
            "ff02::1, MULTICAST",
            "ff05::1:3, MULTICAST",
            "2001:db8::1, DOCUMENTATION",
            "3fff::1, DOCUMENTATION",
            "2001::1, RESERVED",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2, RESERVED",
            "2001:10::1, RESERVED",
            "100::1, RESERVED",
            "5f00::1, RESERVED",
            "64:ff9b:1::1, RESERVED",
            "::2, RESERVED",
            "4000::1, RESERVED",
            "2606:4700:4700::1111, PUBLIC",
            "2001:4860:4860::8888, PUBLIC",
            "2a00:1450:4001:80b::200e, PUBLIC",
    })
    void classifiesAddresses(String address, AddressKind expected) throws Exception {
        assertThat(AddressKind.of(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} carries {1}")
    @CsvSource({
            // IPv4-mapped (Java turns these into Inet4Address; raw bytes are checked below too)
            "::ffff:127.0.0.1, LOOPBACK",
            "::ffff:7f00:1, LOOPBACK",
            "::ffff:169.254.169.254, LINK_LOCAL",
            "::ffff:10.0.0.1, PRIVATE",
            "::ffff:0.0.0.0, UNSPECIFIED",
            "::ffff:8.8.8.8, PUBLIC",
            // IPv4-compatible (deprecated)
            "::127.0.0.1, LOOPBACK",
            "::10.0.0.1, PRIVATE",
            "::169.254.169.254, LINK_LOCAL",
            "::8.8.8.8, PUBLIC",
            // NAT64 well-known prefix
            "64:ff9b::127.0.0.1, LOOPBACK",
            "64:ff9b::a9fe:a9fe, LINK_LOCAL",
            "64:ff9b::192.168.0.1, PRIVATE",
            "64:ff9b::8.8.8.8, PUBLIC",
            // 6to4
            "2002:7f00:1::1, LOOPBACK",
            "2002:a9fe:a9fe::1, LINK_LOCAL",
            "2002:0a00:0001::1, PRIVATE",
            "2002:c0a8:0101::1, PRIVATE",
            "2002:6440:0001::1, SHARED",
            "2002:0808:0808::1, PUBLIC",
    })
    void judgesIpv6FormsByTheIpv4AddressTheyCarry(String address, AddressKind expected) throws Exception {
        assertThat(AddressKind.of(InetAddress.getByName(address))).isEqualTo(expected);
        byte[] literal = IpLiterals.parse(address);
        assertThat(literal).hasSize(16);
        assertThat(AddressKind.of(InetAddress.getByAddress(literal))).isEqualTo(expected);
    }
}
