package dev.tributary.connector.net;

import java.net.InetAddress;

/**
 * Addresses a tenant-configured URL must not reach unless the operator allows it:
 * loopback, private (RFC 1918, IPv6 unique-local), link-local (cloud metadata),
 * carrier-grade NAT, wildcard and multicast.
 */
public final class InternalAddresses {

    private InternalAddresses() {
    }

    public static boolean isInternal(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        boolean carrierNat = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || carrierNat;
    }
}
