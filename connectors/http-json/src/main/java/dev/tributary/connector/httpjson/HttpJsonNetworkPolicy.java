package dev.tributary.connector.httpjson;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where http-json apps may point ({@code tributary.connectors.http-json.*}). By
 * default only public addresses: a tenant must not reach the cluster's own
 * network (loopback, private, link-local) through an app's {@code base_url}.
 */
@ConfigurationProperties("tributary.connectors.http-json")
public record HttpJsonNetworkPolicy(@Nullable Boolean allowPrivateAddresses) {

    public boolean privateAddressesAllowed() {
        return Boolean.TRUE.equals(allowPrivateAddresses);
    }
}
