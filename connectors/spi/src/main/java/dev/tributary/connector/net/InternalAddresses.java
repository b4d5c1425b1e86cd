package dev.tributary.connector.net;

import dev.tributary.connector.ConnectorException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Addresses a tenant-configured URL must not reach unless the operator allows it:
 * loopback, private (RFC 1918, IPv6 unique-local), link-local (cloud metadata),
 * carrier-grade NAT, wildcard and multicast.
 */
public final class InternalAddresses {

    private InternalAddresses() {
    }

    /**
     * Refuses a tenant-configured URL whose host resolves to an internal address.
     *
     * @param field the configuration field to name in the refusal (e.g. {@code base_url})
     */
    public static void requirePublic(URI uri, String field) throws ConnectorException.ConfigInvalid {
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (isInternal(address)) {
                    throw new ConnectorException.ConfigInvalid(field, field + " resolves to a private, loopback or"
                            + " link-local address, which this installation does not allow");
                }
            }
        } catch (UnknownHostException e) {
            throw new ConnectorException.ConfigInvalid(field, field + " host " + uri.getHost() + " does not resolve");
        }
    }

    public static boolean isInternal(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        boolean carrierNat = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || carrierNat;
    }
}
