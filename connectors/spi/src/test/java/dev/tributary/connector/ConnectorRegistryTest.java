package dev.tributary.connector;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectorRegistryTest {

    private static Connector connector(String provider, CollectionSpec... collections) {
        var metadata = new ConnectorMetadata(provider, "v1", List.of(collections),
                new Capabilities(false, true, false));
        return new Connector() {
            @Override
            public ConnectorMetadata metadata() {
                return metadata;
            }

            @Override
            public PageSource fetch(AppContext app, FetchRequest request) {
                return Optional::empty;
            }
        };
    }

    @Test
    void findsConnectorsByProviderInNameOrder() {
        var stripe = connector("stripe", new CollectionSpec("stripe_customer", "customers"));
        var feed = connector("json-feed", new CollectionSpec("permits", "feed"));
        var registry = new ConnectorRegistry(List.of(stripe, feed));
        assertSame(stripe, registry.byProvider("stripe").orElseThrow());
        assertTrue(registry.byProvider("hubspot").isEmpty());
        assertEquals(List.of(feed, stripe), registry.all());
    }

    @Test
    void refusesTwoConnectorsWithOneProviderName() {
        var error = assertThrows(IllegalStateException.class,
                () -> new ConnectorRegistry(List.of(connector("stripe"), connector("stripe"))));
        assertTrue(error.getMessage().contains("stripe"));
    }

    @Test
    void metadataRefusesDuplicateAndMalformedCollectionKeys() {
        assertThrows(IllegalArgumentException.class, () -> connector("x",
                new CollectionSpec("a", "one"), new CollectionSpec("a", "two")));
        assertThrows(IllegalArgumentException.class, () -> new CollectionSpec("has space", "r"));
        assertFalse(Identifiers.isValidKey("x".repeat(65)));
        assertTrue(Identifiers.isValidKey("stripe_customer-2"));
    }

    @Test
    void retriabilityIsDecidedByTheErrorType() {
        assertTrue(new ConnectorException.RateLimited("slow down", java.time.Duration.ofSeconds(3)).retriable());
        assertTrue(new ConnectorException.Transient("502", null).retriable());
        assertFalse(new ConnectorException.AuthRevoked("401").retriable());
        assertFalse(new ConnectorException.ConfigInvalid("base_url", "not a URL").retriable());
        assertFalse(new ConnectorException.NotFound("gone").retriable());
        assertFalse(new ConnectorException.Rejected("400").retriable());
        assertFalse(new ConnectorException.WebhookVerificationFailed("signature expired").retriable());
    }

    @Test
    void appContextNeverPrintsCredentials() {
        var app = new AppContext("acme", "billing", java.util.Map.of("base_url", "https://x"),
                java.util.Map.of("api_key", "sk_live_secret"), null);
        assertFalse(app.toString().contains("sk_live_secret"));
    }
}
