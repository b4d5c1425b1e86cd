package dev.tributary.connector.httpjson;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Destination;
import dev.tributary.connector.FieldMapping;
import dev.tributary.connector.testkit.ConnectorContract;
import dev.tributary.connector.testkit.FakeRecord;
import dev.tributary.connector.testkit.FakeSaasServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpJsonDestinationTest {

    private final FakeSaasServer server = FakeSaasServer.start().requireBearer("right");
    private final HttpJsonConnector connector = new HttpJsonConnector(new HttpJsonConfiguration(true), Clock.systemUTC());
    private final Destination destination = connector.destination().orElseThrow();

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, Object> writes(String updateMethod, String updatePath, String idPointer) {
        Map<String, Object> writes = new HashMap<>();
        writes.put("create", Map.of("method", "POST", "path", "contacts"));
        writes.put("update", Map.of("method", updateMethod, "path", updatePath));
        if (idPointer != null) {
            writes.put("id_pointer", idPointer);
        }
        return writes;
    }

    private AppContext app(Map<String, Object> destinationSection, Map<String, Object> extra, String token) {
        Map<String, Object> contacts = new HashMap<>(Map.of("collection_key", "contacts", "path", "contacts"));
        if (destinationSection != null) {
            contacts.put("destination", destinationSection);
        }
        Map<String, Object> config = new HashMap<>(Map.of("base_url", server.baseUri().toString(),
                "auth", Map.of("type", "bearer"),
                "collections", List.of(contacts, Map.of("collection_key", "items", "path", "items"))));
        config.putAll(extra);
        return new AppContext("acme", "crm", config, Map.of("token", token), null);
    }

    private AppContext app(Map<String, Object> destinationSection) {
        return app(destinationSection, Map.of(), "right");
    }

    private Map<String, Object> stored(String id) {
        return server.find("contacts", id).map(FakeRecord::fields).orElse(null);
    }

    @Test
    void http_jsonIsAlwaysADestinationAndWritesOnlyCollectionsWithADestinationSection() throws Exception {
        ConnectorContract.assertDestinationDeclared(connector);
        assertEquals(List.of("contacts"), destination.writableCollections(app(writes("PUT", "contacts/{target_id}", null))));
        assertEquals(List.of(), destination.writableCollections(app(null)));
        var notWritable = assertThrows(ConnectorException.ConfigInvalid.class,
                () -> destination.create(app(null), "contacts", "{}"));
        assertEquals("collections", notWritable.field());
        assertTrue(server.writes().isEmpty());
    }

    @Test
    void createPostsTheBodyAndReadsTheNewIdThenUpdateSendsItToTheTargetIdsPath() throws Exception {
        var app = app(writes("PUT", "contacts/{target_id}", "/id"));
        String id = ConnectorContract.assertCreatesAndUpdates(destination, app, "contacts",
                "{\"email\":\"ann@example.com\",\"plan\":\"gold\"}", "{\"email\":\"ann@example.com\",\"plan\":\"free\"}",
                "nope", this::stored);
        assertEquals("w-1", id);
        assertEquals(List.of("POST /contacts", "PUT /contacts/w-1"),
                server.writes().stream().map(w -> w.method() + " " + w.path()).toList());
        assertEquals(Map.of("email", "ann@example.com", "plan", "gold"), server.writes().get(0).body());
        assertTrue(server.requests().contains("PUT /contacts/nope"), "the unknown id was asked for");
    }

    @Test
    void theTargetIdIsUrlEncodedIntoTheUpdatePathAndTheMethodIsTheConfiguredOne() throws Exception {
        server.put("contacts", "a/b c+d", Map.of("name", "old", "plan", "gold"));
        var app = app(writes("PATCH", "contacts/{target_id}?notify=false", null));
        destination.update(app, "contacts", "a/b c+d", "{\"name\":\"new\"}");
        assertTrue(server.requests().contains("PATCH /contacts/a%2Fb%20c%2Bd?notify=false"), server.requests().toString());
        assertEquals(Map.of("name", "new", "plan", "gold"), stored("a/b c+d"), "PATCH merged");

        var elsewhere = app(writes("PUT", "v2/contacts/{target_id}", null));
        assertThrows(ConnectorException.Rejected.class,
                () -> destination.update(elsewhere, "contacts", "a/b c+d", "{\"name\":\"other\"}"));
        assertTrue(server.requests().contains("PUT /v2/contacts/a%2Fb%20c%2Bd"), "the update path, not the read path");

        for (String pathChanging : List.of("", ".", "..")) {
            assertThrows(ConnectorException.Rejected.class, () -> destination.update(app, "contacts", pathChanging, "{}"));
        }
    }

    @Test
    void anIdPointerFindsAWholeNumberIdOrTheCreateIsRejectedNamingThePointer() throws Exception {
        assertEquals("42", destination.create(app(writes("PUT", "contacts/{target_id}", "/number")), "contacts",
                "{\"number\":42}"));
        var string = app(writes("PUT", "contacts/{target_id}", "/name"));
        assertEquals("Ann", destination.create(string, "contacts", "{\"name\":\"Ann\"}"));
        for (String body : List.of("{\"name\":1.5}", "{\"name\":\"\"}", "{\"name\":{\"a\":1}}", "{}")) {
            var missing = assertThrows(ConnectorException.Rejected.class, () -> destination.create(string, "contacts", body));
            assertTrue(missing.getMessage().contains("has no id (a string or a whole number) at /name"), missing.getMessage());
        }
    }

    @Test
    void writeErrorsAreTheReadsErrorFamily() throws Exception {
        var app = app(writes("PUT", "contacts/{target_id}", null));
        server.put("contacts", "c1", Map.of("name", "x"));
        ConnectorContract.assertWriteErrors(destination, app, app(writes("PUT", "contacts/{target_id}", null), Map.of(),
                "wrong"), "contacts", "{\"name\":\"y\"}", "c1", server, Duration.ofSeconds(7));
        var refused = assertThrows(ConnectorException.Rejected.class, () -> destination.create(app, "contacts", "[1]"));
        assertTrue(refused.getMessage().startsWith("POST http://127.0.0.1:"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("/contacts answered 400: {\"error\":\"the body must be a JSON object\"}"),
                refused.getMessage());
        assertEquals(List.of(), server.writes());
    }

    @Test
    void writesReachOnlyTheAddressesReadsMay() {
        var publicOnly = new HttpJsonConnector(new HttpJsonConfiguration(false), Clock.systemUTC()).destination()
                .orElseThrow();
        var app = app(writes("PUT", "contacts/{target_id}", null));
        assertEquals("base_url", assertThrows(ConnectorException.ConfigInvalid.class,
                () -> publicOnly.create(app, "contacts", "{}")).field());
        assertEquals("base_url", assertThrows(ConnectorException.ConfigInvalid.class,
                () -> publicOnly.update(app, "contacts", "c1", "{}")).field());
        assertEquals(List.of(), server.requests());
    }

    @Test
    void theDestinationSectionIsCheckedStrictlyNamingTheField() {
        String at = "collections[0].destination";
        assertRefused(writes("DELETE", "contacts/{target_id}", null), at + ".update.method");
        assertRefused(writes("PUT", "contacts/", null), at + ".update.path");
        assertRefused(writes("PUT", "contacts/{target_id}", "id"), at + ".id_pointer");
        assertRefused(writes("PUT", "contacts/{target_id}", ""), at + ".id_pointer");
        assertRefused(writes("PUT", "contacts/{target_id}", "/a~2"), at + ".id_pointer");
        assertRefused(writes("PUT", "https://elsewhere.example/{target_id}", null), at + ".update.path");
        assertRefused(writes("PUT", "contacts/{target_id} x", null), at + ".update.path");
        assertRefused(Map.of("create", Map.of("path", "contacts/{target_id}"),
                "update", Map.of("path", "contacts/{target_id}")), at + ".create.path");
        assertRefused(Map.of("create", Map.of("path", "contacts")), at + ".update");
        assertRefused(Map.of("create", "contacts", "update", Map.of("path", "contacts/{target_id}")), at + ".create");
        assertRefused(Map.of("create", Map.of("path", "contacts", "verb", "POST"),
                "update", Map.of("path", "contacts/{target_id}")), at + ".create.verb");
        assertRefused(Map.of("create", Map.of("path", "contacts"), "update", Map.of("path", "contacts/{target_id}"),
                "upsert", true), at + ".upsert");
        assertRefused(Map.of("create", Map.of("method", 1, "path", "contacts"),
                "update", Map.of("path", "contacts/{target_id}")), at + ".create.method");
        ConnectorContract.assertConfigErrorIsPermanent(connector, app("yes", Map.of(), "right"), at);
    }

    @Test
    void methodsDefaultToPostAndPutAndTheIdPointerToId() throws Exception {
        var app = app(Map.of("create", Map.of("path", "contacts"), "update", Map.of("path", "contacts/{target_id}")));
        connector.validate(app);
        String id = destination.create(app, "contacts", "{\"name\":\"Ann\"}");
        destination.update(app, "contacts", id, "{\"name\":\"Bea\"}");
        assertEquals(List.of("POST", "PUT"), server.writes().stream().map(w -> w.method()).toList());
    }

    @Test
    void fieldMappingsAreValidatedAgainstTheWritableCollectionsAndReadPerCollection() throws Exception {
        var section = writes("PUT", "contacts/{target_id}", null);
        var mapped = app(section, Map.of("field_mappings", Map.of("contacts", Map.of("email", "/email"))), "right");
        connector.validate(mapped);
        assertEquals(FieldMapping.parse(Map.of("email", "/email"), "f"),
                destination.fieldMapping(mapped, "contacts").orElseThrow());
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(section, Map.of("field_mappings", Map.of("items", Map.of("email", "/email"))), "right"),
                "field_mappings.items");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(section, Map.of("field_mappings", Map.of("contacts", Map.of("email", "email"))), "right"),
                "field_mappings.contacts.email");
    }

    private void assertRefused(Map<String, Object> section, String field) {
        ConnectorContract.assertConfigErrorIsPermanent(connector, app(section), field);
    }

    @SuppressWarnings("unchecked")
    private AppContext app(Object section, Map<String, Object> extra, String token) {
        return section instanceof Map<?, ?> map ? app((Map<String, Object>) map, extra, token)
                : appWithRawSection(section, token);
    }

    private AppContext appWithRawSection(Object section, String token) {
        Map<String, Object> contacts = Map.of("collection_key", "contacts", "path", "contacts", "destination", section);
        return new AppContext("acme", "crm", Map.of("base_url", server.baseUri().toString(), "auth", Map.of("type", "bearer"),
                "collections", List.of(contacts)), Map.of("token", token), null);
    }
}
