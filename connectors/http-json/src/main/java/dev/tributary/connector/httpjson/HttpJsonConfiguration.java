package dev.tributary.connector.httpjson;

import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.net.InternalAddresses;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;

/**
 * How this service lets http-json apps reach their APIs ({@code tributary.connectors.http-json.*}). By
 * default only public addresses: a tenant must not reach the cluster's own network (loopback, private,
 * link-local) through an app's {@code base_url}.
 */
@ConfigurationProperties("tributary.connectors.http-json")
public record HttpJsonConfiguration(@Nullable Boolean allowPrivateAddresses) {

    /** Refuses, as a bad {@code base_url}, a URL whose host resolves to an address this installation keeps out. */
    void requireAllowedHost(URI uri) throws ConfigInvalid {
        if (!Boolean.TRUE.equals(allowPrivateAddresses)) {
            InternalAddresses.requirePublic(uri, "base_url");
        }
    }
}
