package dev.tributary.api;

import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-tests-0123456789";

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return ServiceSettings.of(TestPostgres.freshDatabase(), ADMIN_KEY).properties();
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return new HttpProbe(server.getURI()).send(method, path, body,
                "Authorization", "Bearer " + ADMIN_KEY, "Content-Type", "application/json");
    }

    @Test
    void createsListsDisablesAndEnablesTenants() {
        var created = admin("POST", "/admin/tenants", "{\"id\": \"acme\", \"name\": \"Acme\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("/admin/tenants/acme", created.headers().firstValue("Location").orElse(null));
        assertEquals("acme", HttpProbe.json(created).get("id"));
        assertTrue(HttpProbe.json(created).containsKey("created_at"));

        var duplicate = admin("POST", "/admin/tenants", "{\"id\": \"acme\", \"name\": \"Acme again\"}");
        assertEquals(409, duplicate.statusCode());
        assertEquals("tenant_exists", HttpProbe.json(duplicate).get("code"));

        var list = HttpProbe.json(admin("GET", "/admin/tenants?limit=5", null));
        assertEquals(5, ((Number) list.get("limit")).intValue());
        assertEquals(0, ((Number) list.get("offset")).intValue());
        assertTrue(((Number) list.get("total")).intValue() >= 1);
        assertTrue(((List<?>) list.get("items")).stream().anyMatch(t -> ((Map<?, ?>) t).get("id").equals("acme")));

        assertTrue(HttpProbe.json(admin("POST", "/admin/tenants/acme/disable", null)).get("disabled_at") != null);
        assertEquals(null, HttpProbe.json(admin("POST", "/admin/tenants/acme/enable", null)).get("disabled_at"));
        assertEquals(404, admin("POST", "/admin/tenants/nobody/disable", null).statusCode());
    }

    @Test
    void refusesBadTenantInput() {
        assertField(admin("POST", "/admin/tenants", "{\"id\": \"has space\", \"name\": \"X\"}"), "id");
        assertField(admin("POST", "/admin/tenants", "{\"id\": \"" + "x".repeat(65) + "\", \"name\": \"X\"}"), "id");
        assertField(admin("POST", "/admin/tenants", "{\"id\": \"ok\"}"), "name");
        assertField(admin("GET", "/admin/tenants?limit=101", null), "limit");
        assertField(admin("GET", "/admin/tenants?offset=-1", null), "offset");
        var malformed = admin("POST", "/admin/tenants", "{\"id\": ");
        assertEquals(400, malformed.statusCode());
        assertEquals("malformed_json", HttpProbe.json(malformed).get("code"));
    }

    @Test
    void unknownAndMistypedFieldsAreRefusedNamingTheField() {
        var unknown = admin("POST", "/admin/tenants", "{\"id\": \"u1\", \"name\": \"U\", \"plan\": \"gold\"}");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertField(unknown, "plan");
        admin("POST", "/admin/tenants", "{\"id\": \"typed\", \"name\": \"Typed\"}");
        var mistyped = admin("POST", "/admin/tenants/typed/api-keys", "{\"name\": \"ci\", \"roles\": 7}");
        assertEquals(400, mistyped.statusCode(), mistyped.body());
        assertField(mistyped, "roles");
        assertField(admin("POST", "/admin/tenants", "{\"id\": {\"nested\": true}, \"name\": \"Nested\"}"), "id");
        assertEquals(404, admin("GET", "/admin/tenants/u1", null).statusCode(), "nothing was created");
    }

    @Test
    void issuesListsAndRevokesApiKeys() {
        admin("POST", "/admin/tenants", "{\"id\": \"keys\", \"name\": \"Keys\"}");
        var issued = admin("POST", "/admin/tenants/keys/api-keys", "{\"name\": \"ci\", \"roles\": [\"sync:read\", \"sync:write\"]}");
        assertEquals(201, issued.statusCode(), issued.body());
        var key = HttpProbe.json(issued);
        assertEquals("/admin/tenants/keys/api-keys/" + key.get("id"), issued.headers().firstValue("Location").orElse(null));
        String secret = (String) key.get("key");
        assertTrue(secret.startsWith("trb_live_"));
        assertTrue(secret.startsWith((String) key.get("prefix")));
        assertEquals(List.of("sync:read", "sync:write"), key.get("roles"));

        var listed = admin("GET", "/admin/tenants/keys/api-keys", null);
        assertFalse(listed.body().contains(secret), "key material must never be listed");
        assertFalse(listed.body().contains("\"key\""), listed.body());

        assertField(admin("POST", "/admin/tenants/keys/api-keys", "{\"name\": \"x\", \"roles\": [\"root\"]}"), "roles");
        assertField(admin("POST", "/admin/tenants/keys/api-keys", "{\"name\": \"x\", \"roles\": []}"), "roles");
        assertEquals(404, admin("POST", "/admin/tenants/nobody/api-keys", "{\"name\": \"x\", \"roles\": [\"sync:read\"]}").statusCode());

        var revoked = admin("DELETE", "/admin/tenants/keys/api-keys/" + key.get("id"), null);
        assertEquals(200, revoked.statusCode());
        assertTrue(HttpProbe.json(revoked).get("revoked_at") != null);
        assertEquals(404, admin("DELETE", "/admin/tenants/keys/api-keys/not-a-uuid", null).statusCode());
    }

    @Test
    void wrongOrMissingAdminKeyIs401() {
        var probe = new HttpProbe(server.getURI());
        for (var response : List.of(probe.get("/admin/tenants"),
                probe.get("/admin/tenants", "Authorization", "Bearer wrong"),
                probe.get("/admin/tenants", "Authorization", "Basic " + ADMIN_KEY))) {
            assertEquals(401, response.statusCode());
            assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals("unauthorized", HttpProbe.json(response).get("code"));
        }
    }

    static void assertField(HttpResponse<String> response, String field) {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        var errors = (List<?>) HttpProbe.json(response).get("errors");
        assertTrue(errors != null && errors.stream().anyMatch(e -> field.equals(((Map<?, ?>) e).get("field"))),
                response.body());
    }
}
