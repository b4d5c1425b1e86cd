package dev.tributary.connector;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppSettingsTest {

    private static final ConnectorMetadata METADATA = new ConnectorMetadata("shop", "1",
            List.of(new CollectionSpec("shop_order", "orders"), new CollectionSpec("shop_item", "items")),
            new Capabilities(true, true, true, false));

    private static AppContext app(Map<String, Object> config) {
        return new AppContext("acme", "shop", config, Map.of(), null);
    }

    private static String refusedField(ThrowingCheck check) {
        return assertThrows(ConnectorException.ConfigInvalid.class, check::run).field();
    }

    private interface ThrowingCheck {
        void run() throws ConnectorException.ConfigInvalid;
    }

    @Test
    void aCatalogConnectorTakesACollectionSubsetAndAPayloadSwitchOnly() throws Exception {
        assertEquals(List.of("shop_order", "shop_item"), AppSettings.catalogCollections(app(Map.of()), METADATA));
        assertEquals(List.of("shop_item"), AppSettings.catalogCollections(app(Map.of("collections",
                List.of("shop_item", "shop_item"), "log_webhook_payloads", true)), METADATA));
        assertEquals("colections", refusedField(() -> AppSettings.catalogCollections(app(Map.of("colections",
                List.of())), METADATA)));
        assertEquals("collections", refusedField(() -> AppSettings.catalogCollections(app(Map.of("collections",
                List.of("shop_nothing"))), METADATA)));
        assertEquals("collections", refusedField(() -> AppSettings.catalogCollections(app(Map.of("collections",
                List.of())), METADATA)));
        assertEquals("log_webhook_payloads", refusedField(() -> AppSettings.catalogCollections(app(Map.of(
                "log_webhook_payloads", "yes")), METADATA)));
    }

    @Test
    void fieldMappingsAreASettingOnlyOfADestination() throws Exception {
        var mappings = app(Map.of(Destination.FIELD_MAPPINGS, Map.of("shop_order", Map.of("id", "/id"))));
        assertEquals(Destination.FIELD_MAPPINGS, refusedField(() -> AppSettings.catalogCollections(mappings, METADATA)));
        var writer = new ConnectorMetadata("shop", "1", METADATA.collections(), new Capabilities(true, true, true, true));
        assertEquals(List.of("shop_order", "shop_item"), AppSettings.catalogCollections(mappings, writer));
    }

    @Test
    void aWholeNumberIsInRangeAndNotWrappedIntoIt() throws Exception {
        assertEquals(7, AppSettings.wholeNumber(Map.of("n", 7), "n", "outer.n", 1, 1, 10));
        assertEquals(7, AppSettings.wholeNumber(Map.of("n", 7.0), "n", "outer.n", 1, 1, 10));
        assertEquals(3, AppSettings.wholeNumber(Map.of(), "n", "outer.n", 3, 1, 10));
        for (Object bad : List.of(0, 11, 2.5, "7", new BigInteger("18446744073709551623"))) {
            var refused = assertThrows(ConnectorException.ConfigInvalid.class,
                    () -> AppSettings.wholeNumber(Map.of("n", bad), "n", "outer.n", 1, 1, 10), String.valueOf(bad));
            assertEquals("outer.n", refused.field());
            assertEquals("outer.n must be a whole number from 1 to 10", refused.getMessage());
        }
    }

    @Test
    void aStringIsAStringOrAbsent() throws Exception {
        assertEquals("x", AppSettings.string(Map.of("s", "x"), "s", "outer.s"));
        assertNull(AppSettings.string(Map.of(), "s", "outer.s"));
        assertEquals("outer.s", refusedField(() -> AppSettings.string(Map.of("s", 5), "s", "outer.s")));
    }

    @Test
    void aDottedNameIsThePointerItMeans() {
        assertEquals("/meta/next", AppSettings.pointer("meta.next"));
        assertEquals("/meta/next", AppSettings.pointer("/meta/next"));
        assertEquals("", AppSettings.pointer(""));
    }

    @Test
    void aCollectionKeyFollowsTheIdentifierRule() throws Exception {
        assertEquals("orders_2", AppSettings.requireCollectionKey("orders_2", "collections[0].collection_key"));
        assertEquals("collections[0].collection_key",
                refusedField(() -> AppSettings.requireCollectionKey("or ders", "collections[0].collection_key")));
    }

    @Test
    void anHttpUrlHasAnHttpSchemeAndAHost() {
        for (String good : List.of("https://api.example.com/v1", "http://localhost:8080")) {
            assertTrue(AppSettings.isHttpUrl(URI.create(good)), good);
        }
        for (String bad : List.of("ftp://example.com/feed", "https:/no-host", "HTTPS://example.com", "/relative",
                "mailto:ops@example.com")) {
            assertFalse(AppSettings.isHttpUrl(URI.create(bad)), bad);
        }
    }
}
