package org.mafstream.job.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The addresses of one host that passed the SSRF policy, in the resolver's order: what the
 * exchange connects to (through Jetty's request tag, see {@link GuardedResolver}) and what the
 * per-address concurrency limit counts by ({@link #key}, the first address, which Jetty tries
 * first). A record: equal pins share Jetty's destination, so connections are reused as before.
 */
record PinnedAddresses(List<InetAddress> addresses) {

    PinnedAddresses {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to pin");
        }
    }

    /**
     * The addresses of {@code host}:{@code port} that {@code policy} allows.
     *
     * @throws UnknownHostException if there are none at all
     * @throws BlockedAddressException if the policy refuses every one
     */
    static PinnedAddresses check(AddressPolicy policy, String host, int port, List<InetAddress> resolved)
            throws UnknownHostException, BlockedAddressException {
        if (resolved.isEmpty()) {
            throw new UnknownHostException(host + " resolved to no address");
        }
        List<InetAddress> allowed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (InetAddress address : resolved) {
            Optional<String> refusal = policy.refusal(host, address, port);
            if (refusal.isPresent()) {
                refused.add(refusal.get());
            } else {
                allowed.add(address);
            }
        }
        if (allowed.isEmpty()) {
            throw new BlockedAddressException(host + ":" + port + " refused by the SSRF policy: " + String.join(", ", refused));
        }
        return new PinnedAddresses(allowed);
    }

    /** What the per-address limit counts: the IP of the first address, without the port. */
    String key() {
        return addresses.get(0).getHostAddress();
    }

    List<InetSocketAddress> socketAddresses(int port) {
        return addresses.stream().map(a -> new InetSocketAddress(a, port)).toList(); // resolved: no lookup
    }
}
