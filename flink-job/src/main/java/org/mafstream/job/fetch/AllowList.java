package org.mafstream.job.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Exceptions to the SSRF policy: destinations that may be fetched although their address is not
 * {@link AddressKind#PUBLIC}. Each entry is a CIDR block, a single IP, or a host name, optionally
 * with a port, which then must match too:
 *
 * <pre>
 *   10.20.0.0/16          any port on that block
 *   127.0.0.1:8080        one loopback port (what the tests use: the rest of loopback stays blocked)
 *   [::1]:8080  [fd00::/8]
 *   images.internal       any address that host name resolves to
 *   images.internal:443
 * </pre>
 *
 * A host-name entry trusts whatever that name resolves to: use it only for names you control.
 * Entries with IP literals are matched against the address actually connected to, never the name.
 */
public final class AllowList {
    private static final AllowList EMPTY = new AllowList(List.of());

    private final List<Entry> entries;

    private AllowList(List<Entry> entries) {
        this.entries = entries;
    }

    public static AllowList empty() {
        return EMPTY;
    }

    /** Parses the entries; an entry that does not parse is refused with its text. */
    public static AllowList parse(List<String> entries) {
        return new AllowList(entries.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Entry::parse).toList());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether a connection to {@code address}:{@code port}, reached through {@code host}, is allowed. */
    public boolean permits(String host, InetAddress address, int port) {
        String name = HostNames.normalize(host);
        for (Entry entry : entries) {
            if (entry.matches(name, address, port)) {
                return true;
            }
        }
        return false;
    }

    private record Entry(String hostName, byte[] network, int prefixLength, int port) {
        static final int ANY_PORT = -1;

        static Entry parse(String text) {
            try {
                return parseEntry(text);
            } catch (RuntimeException | UnknownHostException e) {
                throw new IllegalArgumentException("bad allow-list entry '" + text
                        + "': expected CIDR, IP or host name, optionally with :port (IPv6 in brackets)", e);
            }
        }

        private static Entry parseEntry(String text) throws UnknownHostException {
            String target = text;
            int port = ANY_PORT;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                target = text.substring(1, close);
                String rest = text.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException("expected :port after ]");
                    }
                    port = parsePort(rest.substring(1));
                }
            } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
                target = text.substring(0, text.indexOf(':'));
                port = parsePort(text.substring(text.indexOf(':') + 1));
            }
            int slash = target.indexOf('/');
            String ip = slash >= 0 ? target.substring(0, slash) : target;
            if (IpLiterals.ambiguity(ip).isPresent()) { // no URL with such a host gets this far
                throw new IllegalArgumentException("ambiguous numeric address: " + ip);
            }
            byte[] literal = IpLiterals.parse(ip);
            if (literal == null) {
                if (slash >= 0 || !HostNames.isValid(ip)) {
                    throw new IllegalArgumentException("not an IP address or host name: " + ip);
                }
                return new Entry(HostNames.normalize(ip), null, 0, port);
            }
            int prefix = slash >= 0 ? Integer.parseInt(target.substring(slash + 1)) : literal.length * 8;
            if (prefix < 0 || prefix > literal.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + prefix);
            }
            return new Entry(null, literal, prefix, port);
        }

        private static int parsePort(String text) {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }

        boolean matches(String host, InetAddress address, int connectPort) {
            if (port != ANY_PORT && port != connectPort) {
                return false;
            }
            return hostName != null ? hostName.equals(host) : contains(address.getAddress());
        }

        private boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return (hostName != null ? hostName : IpLiterals.format(network) + "/" + prefixLength)
                    + (port == ANY_PORT ? "" : ":" + port);
        }
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
