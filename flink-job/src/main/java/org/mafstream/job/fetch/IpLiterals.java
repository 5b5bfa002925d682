package org.mafstream.job.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP address literals parsed without ever asking DNS. */
final class IpLiterals {
    // Decimal without leading zeros only: 010 is 10 to the JDK and 8 to inet_aton (see ambiguity()).
    private static final String OCTET = "(0|[1-9]\\d{0,2})";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
    /** What a URL parser (WHATWG) or inet_aton would read as a number: digits, or 0x and hex digits. */
    private static final Pattern NUMBER = Pattern.compile("\\d+|0[xX][0-9A-Fa-f]*");
    // A colon, only hex digits, colons and dots, and a hex digit or colon first: InetAddress then
    // parses it as an IPv6 literal and never falls back to a name lookup (which it would for a
    // string starting with anything else).
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private IpLiterals() {}

    /**
     * The address bytes of a canonical dotted-quad IPv4 or an IPv6 literal (brackets allowed), or
     * null for anything else, including the forms {@link #ambiguity} refuses ({@code 127.1},
     * {@code 2130706433}, {@code 010.1.1.1}).
     */
    static byte[] parse(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        var v4 = IPV4.matcher(s);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        if (IPV6.matcher(s).matches()) {
            try {
                // 16 bytes even for ::ffff:a.b.c.d, which InetAddress would turn into an Inet4Address.
                byte[] bytes = InetAddress.getByName(s).getAddress();
                return bytes.length == 16 ? bytes : mapped(bytes);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Why {@code host} (as written in a URL, IPv6 in brackets) is a numeric address that parsers
     * disagree on, or empty if it is not. A host whose last label is a number is an IPv4 address to
     * browsers (the WHATWG URL standard) and C resolvers ({@code inet_aton}), which also take
     * octal ({@code 0177.0.0.1}), hex ({@code 0x7f.0.0.1}, {@code 0x7f000001}), short forms
     * ({@code 127.1}) and a single integer ({@code 2130706433}); the JDK reads some of these as
     * decimal ({@code 0177.0.0.1} is 177.0.0.1), some as names, some not at all. Only canonical
     * dotted decimal is unambiguous. Names whose other labels start with digits
     * ({@code 1password.com}, {@code 123.example}) are names to everyone. In an IPv6 literal,
     * an embedded IPv4 part must be canonical too.
     */
    static Optional<String> ambiguity(String host) {
        if (host.startsWith("[")) {
            int colon = host.lastIndexOf(':');
            String tail = host.substring(colon + 1, host.length() - (host.endsWith("]") ? 1 : 0));
            return colon < 0 || tail.indexOf('.') < 0 || parse(tail) != null ? Optional.empty()
                    : Optional.of("the IPv4 part of an IPv6 address must be dotted decimal without leading zeros");
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = h.substring(h.lastIndexOf('.') + 1);
        if (!NUMBER.matcher(last).matches() || parse(h) != null) { // h has no colon: parse() reads IPv4 only
            return Optional.empty();
        }
        return Optional.of("it ends in a number but is not a dotted-decimal IPv4 address without leading zeros,"
                + " and the JDK, browsers and C resolvers would read it as different addresses (or not at all)");
    }

    /** The literal as an address (no lookup), or null if {@code text} is not a literal. */
    static InetAddress toAddress(String text) {
        byte[] bytes = parse(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
    }

    static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }

    private static byte[] mapped(byte[] v4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        return v6;
    }
}
