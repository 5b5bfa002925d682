package org.mafstream.job.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Jetty's hook between "connect to host:port" and the socket: resolves the host once, checks
 * every address against the {@link AddressPolicy}, and hands Jetty only the addresses that
 * passed, so the address connected to is the address that was checked (no DNS-rebinding window).
 * Jetty calls it for every new connection, so every redirect hop to a new host is checked too;
 * a pooled connection is only reused for the same scheme, host and port it was opened (and
 * checked) for. Refused addresses are dropped; if none is left the connection fails with
 * {@link BlockedAddressException}.
 */
final class GuardedResolver implements SocketAddressResolver {
    private final HostResolver resolver;
    private final AddressPolicy policy;
    private final Executor executor;

    GuardedResolver(HostResolver resolver, AddressPolicy policy, Executor executor) {
        this.resolver = resolver;
        this.policy = policy;
        this.executor = executor;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        String name = HostNames.normalize(host);
        InetAddress literal = IpLiterals.toAddress(name);
        if (literal != null) {
            check(name, port, List.of(literal), promise);
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    check(name, port, resolver.resolve(name), promise);
                } catch (Exception e) {
                    promise.failed(e);
                }
            });
        } catch (RuntimeException rejected) { // the client is stopping
            promise.failed(rejected);
        }
    }

    private void check(String host, int port, List<InetAddress> addresses, Promise<List<InetSocketAddress>> promise) {
        List<InetSocketAddress> allowed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(host, address, port);
            if (refusal.isPresent()) {
                refused.add(refusal.get());
            } else {
                allowed.add(new InetSocketAddress(address, port)); // already resolved: Jetty connects to these bytes
            }
        }
        if (addresses.isEmpty()) {
            promise.failed(new UnknownHostException(host + " resolved to no address"));
        } else if (allowed.isEmpty()) {
            promise.failed(new BlockedAddressException(
                    host + ":" + port + " refused by the SSRF policy: " + String.join(", ", refused)));
        } else {
            promise.succeeded(allowed);
        }
    }
}
