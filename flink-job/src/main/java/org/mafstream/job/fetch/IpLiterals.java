package org.mafstream.job.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP address literals parsed without ever asking DNS. */
final class IpLiterals {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    // A colon, only hex digits, colons and dots, and a hex digit or colon first: InetAddress then
    // parses it as an IPv6 literal and never falls back to a name lookup (which it would for a
    // string starting with anything else).
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private IpLiterals() {}

    /**
     * The address bytes of a dotted-quad IPv4 or an IPv6 literal (brackets allowed), or null for
     * anything else, including the shorthand IPv4 forms ({@code 127.1}, {@code 2130706433}) that
     * only a resolver interprets.
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
