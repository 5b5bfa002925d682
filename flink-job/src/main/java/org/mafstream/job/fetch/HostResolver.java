package org.mafstream.job.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Host name to addresses: the system's DNS by default. Every address it returns is checked by
 * the SSRF policy, and only checked addresses are connected to. Tests substitute it to make a
 * name resolve to a private address; IP literals never reach it.
 */
@FunctionalInterface
public interface HostResolver {

    /** May block (DNS); called off the I/O threads. */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
