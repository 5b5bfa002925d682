package org.mafstream.job.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Jetty's hook between "connect to host:port" and the socket. Every request carries, as its tag,
 * the {@link PinnedAddresses} its conversation resolved and checked against the
 * {@link AddressPolicy} just before sending it; Jetty keeps one destination (pool of
 * connections) per scheme, host, port and tag, and asks here for the addresses of a new
 * connection: they are exactly the pinned ones, checked again, so the address connected to is
 * the address that was checked (no DNS-rebinding window, no second lookup). A pooled connection
 * is only reused for the same scheme, host, port and pin it was opened for. A request without a
 * pin (none is sent) is resolved and checked here, off Jetty's threads.
 */
final class GuardedResolver implements SocketAddressResolver {
    private final DnsLookups lookups;
    private final AddressPolicy policy;

    GuardedResolver(DnsLookups lookups, AddressPolicy policy) {
        this.lookups = lookups;
        this.policy = policy;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        String name = HostNames.normalize(host);
        Object destination = context == null ? null : context.get(Destination.CONTEXT_KEY);
        Object tag = destination instanceof Destination d ? d.getOrigin().getTag() : null;
        if (tag instanceof PinnedAddresses pinned) {
            check(name, port, pinned.addresses(), promise);
            return;
        }
        lookups.resolve(name).whenComplete((addresses, failure) -> {
            if (failure != null) {
                promise.failed(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                check(name, port, addresses, promise);
            }
        });
    }

    private void check(String host, int port, List<InetAddress> addresses, Promise<List<InetSocketAddress>> promise) {
        try {
            promise.succeeded(PinnedAddresses.check(policy, host, port, addresses).socketAddresses(port));
        } catch (Exception refused) {
            promise.failed(refused);
        }
    }
}
