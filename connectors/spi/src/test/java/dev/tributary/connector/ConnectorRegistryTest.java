package dev.tributary.connector;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectorRegistryTest {

    private static Connector connector(String provider, CollectionSpec... collections) {
        return connector(new ConnectorMetadata(provider, "v1", List.of(collections),
                new Capabilities(false, true, false, false)), Optional.empty());
    }

    private static Connector connector(ConnectorMetadata metadata, Optional<Destination> destination) {
        return new Connector() {
            @Override
            public ConnectorMetadata metadata() {
                return metadata;
            }

            @Override
            public PageSource fetch(AppContext app, FetchRequest request) {
                return Optional::empty;
            }

            @Override
            public Optional<Destination> destination() {
                return destination;
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

    /** A connector that can write {@code writable}, declaring the destination capability as {@code declared}. */
    private static Connector writer(boolean declared, List<String> writable) {
        var metadata = new ConnectorMetadata("crm", "v1", List.of(), new Capabilities(false, false, false, declared));
        Destination destination = new Destination() {
            @Override
            public List<String> writableCollections(AppContext app) {
                return writable;
            }

            @Override
            public String create(AppContext app, String collection, String body) {
                return "1";
            }

            @Override
            public void update(AppContext app, String collection, String targetId, String body) {
            }
        };
        return connector(metadata, Optional.of(destination));
    }

    @Test
    void theDestinationCapabilityIsDeclaredExactlyWhenTheConnectorWrites() {
        assertTrue(new ConnectorRegistry(List.of(writer(true, List.of("crm_contact")))).byProvider("crm").orElseThrow()
                .destination().isPresent());
        var undeclared = assertThrows(IllegalStateException.class,
                () -> new ConnectorRegistry(List.of(writer(false, List.of()))));
        assertTrue(undeclared.getMessage().contains("does not declare"), undeclared.getMessage());
        var readOnly = connector(new ConnectorMetadata("feed", "v1", List.of(),
                new Capabilities(false, false, false, true)), Optional.empty());
        var overclaimed = assertThrows(IllegalStateException.class, () -> new ConnectorRegistry(List.of(readOnly)));
        assertTrue(overclaimed.getMessage().contains("cannot write"), overclaimed.getMessage());
    }

    @Test
    void fieldMappingsAreReadPerWritableCollectionAndRefusedNamingTheEntry() throws Exception {
        Destination destination = writer(true, List.of("crm_contact", "crm_deal")).destination().orElseThrow();
        var none = new AppContext("acme", "crm", Map.of(), Map.of(), null);
        assertEquals(Map.of(), destination.fieldMappings(none));
        assertTrue(destination.fieldMapping(none, "crm_contact").isEmpty());

        var mapped = new AppContext("acme", "crm", Map.of(Destination.FIELD_MAPPINGS,
                Map.of("crm_contact", Map.of("email", "/email"))), Map.of(), null);
        assertEquals(FieldMapping.parse(Map.of("email", "/email"), "x"),
                destination.fieldMapping(mapped, "crm_contact").orElseThrow());
        assertTrue(destination.fieldMapping(mapped, "crm_deal").isEmpty());

        assertEquals("field_mappings", assertThrows(ConnectorException.ConfigInvalid.class, () -> destination
                .fieldMappings(new AppContext("acme", "crm", Map.of(Destination.FIELD_MAPPINGS, List.of()), Map.of(),
                        null))).field());
        assertEquals("field_mappings.crm_lead", assertThrows(ConnectorException.ConfigInvalid.class, () -> destination
                .fieldMappings(new AppContext("acme", "crm", Map.of(Destination.FIELD_MAPPINGS,
                        Map.of("crm_lead", Map.of("email", "/email"))), Map.of(), null))).field());
        var bad = assertThrows(ConnectorException.ConfigInvalid.class, () -> destination.fieldMapping(
                new AppContext("acme", "crm", Map.of(Destination.FIELD_MAPPINGS,
                        Map.of("crm_contact", Map.of("email", "email"))), Map.of(), null), "crm_contact"));
        assertEquals("field_mappings.crm_contact.email", bad.field());
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
