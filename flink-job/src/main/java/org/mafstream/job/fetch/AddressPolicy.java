package org.mafstream.job.fetch;

import java.net.InetAddress;
import java.util.Optional;

/** Which resolved addresses may be connected to: public ones, and what the allow-list names. */
final class AddressPolicy {
    private final boolean blockNonPublic;
    private final AllowList allowList;

    AddressPolicy(boolean blockNonPublic, AllowList allowList) {
        this.blockNonPublic = blockNonPublic;
        this.allowList = allowList;
    }

    static AddressPolicy of(FetchSettings settings) {
        return new AddressPolicy(settings.blockNonPublicAddresses(), settings.parsedAllowList());
    }

    /** Empty if {@code host} may be fetched from {@code address}:{@code port}, else why not. */
    Optional<String> refusal(String host, InetAddress address, int port) {
        AddressKind kind = AddressKind.of(address);
        if (!blockNonPublic || kind.isPublic() || allowList.permits(host, address, port)) {
            return Optional.empty();
        }
        return Optional.of(address.getHostAddress() + " is " + kind);
    }
}
