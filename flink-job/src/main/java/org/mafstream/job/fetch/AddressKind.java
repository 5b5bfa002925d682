package org.mafstream.job.fetch;

import java.net.InetAddress;

/**
 * What an IP address is, from the point of view of "may a stranger's URL make us connect to it".
 * Only {@link #PUBLIC} addresses are fetched unless an {@link AllowList} entry says otherwise.
 *
 * <p>Classified on the address bytes, so every textual form the resolver accepted (decimal
 * {@code 2130706433}, {@code 127.1}, {@code ::ffff:127.0.0.1}) lands on the same answer. IPv6
 * forms that carry an IPv4 address (mapped {@code ::ffff:0:0/96}, compatible {@code ::/96},
 * NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by that IPv4 address; the rest
 * of IPv6 is public only inside global unicast {@code 2000::/3}, minus the special-purpose blocks
 * (Teredo and the whole IETF block {@code 2001::/23}, documentation, SRv6). Ranges follow the IANA
 * special-purpose registries.
 */
public enum AddressKind {
    PUBLIC,
    /** 127.0.0.0/8, ::1. */
    LOOPBACK,
    /** 169.254.0.0/16 (cloud metadata at 169.254.169.254), fe80::/10. */
    LINK_LOCAL,
    /** 10/8, 172.16/12, 192.168/16. */
    PRIVATE,
    /** 100.64.0.0/10, carrier-grade NAT. */
    SHARED,
    /** fc00::/7, and the deprecated site-local fec0::/10. */
    UNIQUE_LOCAL,
    /** 224.0.0.0/4, ff00::/8. */
    MULTICAST,
    /** 0.0.0.0, ::. */
    UNSPECIFIED,
    /** 255.255.255.255. */
    BROADCAST,
    /** 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20. */
    DOCUMENTATION,
    /** Everything else that is not globally reachable unicast: 0/8, 192.0.0/24, 198.18/15, 240/4, Teredo, ... */
    RESERVED;

    public boolean isPublic() {
        return this == PUBLIC;
    }

    public static AddressKind of(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? ofIpv4(u(b, 0), u(b, 1), u(b, 2), u(b, 3)) : ofIpv6(b);
    }

    private static AddressKind ofIpv4(int a, int b, int c, int d) {
        if (a == 0) {
            return b == 0 && c == 0 && d == 0 ? UNSPECIFIED : RESERVED; // 0.0.0.0/8 "this network"
        }
        if (a == 10 || a == 172 && (b & 0xf0) == 16 || a == 192 && b == 168) {
            return PRIVATE;
        }
        if (a == 127) {
            return LOOPBACK;
        }
        if (a == 169 && b == 254) {
            return LINK_LOCAL;
        }
        if (a == 100 && (b & 0xc0) == 64) {
            return SHARED;
        }
        if (a == 192 && b == 0 && c == 2 || a == 198 && b == 51 && c == 100 || a == 203 && b == 0 && c == 113) {
            return DOCUMENTATION;
        }
        if (a == 192 && b == 0 && c == 0 // IETF protocol assignments (DS-Lite, NAT64 discovery, ...)
                || a == 192 && b == 88 && c == 99 // deprecated 6to4 relay anycast
                || a == 198 && (b & 0xfe) == 18) { // benchmarking 198.18.0.0/15
            return RESERVED;
        }
        if ((a & 0xf0) == 224) {
            return MULTICAST;
        }
        if (a == 255 && b == 255 && c == 255 && d == 255) {
            return BROADCAST;
        }
        if ((a & 0xf0) == 240) {
            return RESERVED; // 240.0.0.0/4, "future use"
        }
        return PUBLIC;
    }

    private static AddressKind ofIpv6(byte[] b) {
        int w0 = word(b, 0);
        int w1 = word(b, 1);
        if (allZero(b, 0, 10)) {
            if (word(b, 5) == 0xffff) {
                return embedded(b, 12); // ::ffff:a.b.c.d, IPv4-mapped
            }
            if (word(b, 5) == 0) {
                if (allZero(b, 10, 15)) {
                    int last = u(b, 15);
                    return last == 0 ? UNSPECIFIED : last == 1 ? LOOPBACK : embedded(b, 12);
                }
                return embedded(b, 12); // ::a.b.c.d, deprecated IPv4-compatible
            }
            return RESERVED; // the rest of ::/80 is unassigned
        }
        if (w0 == 0x0064 && w1 == 0xff9b) {
            // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is for local NAT64 only.
            return allZero(b, 4, 12) ? embedded(b, 12) : RESERVED;
        }
        if (w0 == 0x2002) {
            return embedded(b, 2); // 6to4: 2002:AABB:CCDD::/48 routes to a.b.c.d
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return UNIQUE_LOCAL;
        }
        if ((w0 & 0xffc0) == 0xfe80) {
            return LINK_LOCAL;
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return UNIQUE_LOCAL;
        }
        if ((w0 & 0xff00) == 0xff00) {
            return MULTICAST;
        }
        if (w0 == 0x2001 && w1 == 0x0db8 || w0 == 0x3fff && (w1 & 0xf000) == 0) {
            return DOCUMENTATION;
        }
        if (w0 == 0x2001 && (w1 & 0xfe00) == 0) {
            return RESERVED; // 2001::/23: Teredo 2001::/32, ORCHID, benchmarking, AMT, ...
        }
        if (w0 == 0x5f00) {
            return RESERVED; // SRv6 segment identifiers
        }
        if ((w0 & 0xe000) != 0x2000) {
            return RESERVED; // outside global unicast 2000::/3 (100::/64 discard-only included)
        }
        return PUBLIC;
    }

    private static AddressKind embedded(byte[] b, int offset) {
        return ofIpv4(u(b, offset), u(b, offset + 1), u(b, offset + 2), u(b, offset + 3));
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] b, int index) {
        return u(b, 2 * index) << 8 | u(b, 2 * index + 1);
    }

    private static int u(byte[] b, int i) {
        return b[i] & 0xff;
    }
}
