package dev.tributary.api;

import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Empty is an answer too: every list carries {@code items: []} and every member the contract names,
 * however little there is (the serializer used to leave empty lists out, and a client reading
 * {@code items} found nothing at all).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmptyListsTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-empty-list-tests-1";

    @Inject
    EmbeddedServer server;

    private String key;
    private String busyKey;

    @Override
    public Map<String, String> getProperties() {
        return ServiceSettings.of(TestPostgres.freshDatabase(), ADMIN_KEY).noWorker().properties();
    }

    @BeforeAll
    void tenant() {
        var http = new HttpProbe(server.getURI());
        http.createTenant(ADMIN_KEY, "acme");
        http.createTenant(ADMIN_KEY, "keyless");
        http.createTenant(ADMIN_KEY, "busy");
        key = http.createApiKey(ADMIN_KEY, "acme", "sync:admin");
        busyKey = http.createApiKey(ADMIN_KEY, "busy", "sync:admin");
    }

    private Map<String, Object> get(String path) {
        var response = new HttpProbe(server.getURI()).get(path, "Authorization", "Bearer "
                + (path.startsWith("/admin") ? ADMIN_KEY : key), "X-Tenant-ID", "acme");
        assertEquals(200, response.statusCode(), response.body());
        return HttpProbe.json(response);
    }

    @Test
    void emptyListsCarryItemsAndTheirPaging() {
        for (String path : List.of("/api/apps", "/api/sync/status", "/api/sync/status?status=failed", "/api/sync/failures",
                "/admin/tenants/keyless/api-keys", "/admin/tenants?offset=100")) {
            var list = get(path);
            assertEquals(List.of(), list.get("items"), path + ": " + list);
            assertTrue(list.containsKey("limit") && list.containsKey("offset") && list.containsKey("total"), path + ": " + list);
        }
    }

    @Test
    void aRetryThatQueuesNothingSaysSoWithEveryMember() {
        var response = new HttpProbe(server.getURI()).send("POST", "/api/sync/retry", null, "Authorization", "Bearer " + key,
                "X-Tenant-ID", "acme");
        assertEquals(202, response.statusCode(), response.body());
        var answer = HttpProbe.json(response);
        assertEquals(0, ((Number) answer.get("queued")).intValue());
        assertEquals(List.of(), answer.get("sync_ids"));
        assertTrue(answer.containsKey("sync_id") && answer.get("sync_id") == null, answer.toString());
    }

    @Test
    void emptyCollectionsInsideAnswersAreShownToo() {
        var httpJson = ((List<?>) get("/api/connectors").get("items")).stream().map(c -> (Map<?, ?>) c)
                .filter(c -> "http-json".equals(c.get("provider"))).findFirst().orElseThrow();
        assertEquals(List.of(), httpJson.get("collections"), "its collections come from each app's config");
        var created = new HttpProbe(server.getURI()).send("POST", "/api/apps", "{\"app_key\": \"quiet\", \"connector\":"
                + " \"stripe\", \"name\": \"Quiet\", \"config\": {}, \"credentials\": {\"api_key\": \"sk_test_q\"}}",
                "Authorization", "Bearer " + busyKey, "X-Tenant-ID", "busy", "Content-Type", "application/json");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(Map.of("emails", List.of()), HttpProbe.json(created).get("alerts"));
        assertEquals(Map.of(), HttpProbe.json(created).get("config"));
    }
}
