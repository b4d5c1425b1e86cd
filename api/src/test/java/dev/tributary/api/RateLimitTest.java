package dev.tributary.api;

import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-rate-limit-tests-1";

    @Inject
    EmbeddedServer server;

    private String first;
    private String second;

    @Override
    public Map<String, String> getProperties() {
        return ServiceSettings.of(TestPostgres.freshDatabase(), ADMIN_KEY)
                .with("tributary.rate-limit.requests-per-minute", "3")
                .with("tributary.rate-limit.sync-triggers-per-minute", "2")
                .properties();
    }

    @BeforeAll
    void twoCredentials() {
        var http = new HttpProbe(server.getURI());
        http.send("POST", "/admin/tenants", "{\"id\": \"acme\", \"name\": \"Acme\"}",
                "Authorization", "Bearer " + ADMIN_KEY, "Content-Type", "application/json");
        first = key(http);
        second = key(http);
    }

    private static String key(HttpProbe http) {
        var response = http.send("POST", "/admin/tenants/acme/api-keys", "{\"name\": \"k\", \"roles\": [\"sync:admin\"]}",
                "Authorization", "Bearer " + ADMIN_KEY, "Content-Type", "application/json");
        return (String) HttpProbe.json(response).get("key");
    }

    @Test
    void eachCredentialHasItsOwnBudgetAndOverspendingIs429WithRetryAfter() {
        var http = new HttpProbe(server.getURI());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.get("/api/sync/status", "Authorization", "Bearer " + first, "X-Tenant-ID", "acme")
                    .statusCode());
        }
        var refused = http.get("/api/sync/status", "Authorization", "Bearer " + first, "X-Tenant-ID", "acme");
        assertEquals(429, refused.statusCode());
        assertEquals("rate_limited", HttpProbe.json(refused).get("code"));
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);

        assertEquals(200, http.get("/api/sync/status", "Authorization", "Bearer " + second, "X-Tenant-ID", "acme")
                .statusCode(), "another credential is not affected");
    }

    @Test
    void syncTriggersHaveTheirOwnSmallerBudget() {
        var http = new HttpProbe(server.getURI());
        String third = key(http);
        for (int i = 0; i < 2; i++) {
            assertNotEquals(429, http.send("POST", "/api/sync/status/" + java.util.UUID.randomUUID() + "/rerun", "{}",
                    "Authorization", "Bearer " + third, "X-Tenant-ID", "acme", "Content-Type", "application/json")
                    .statusCode());
        }
        var refused = http.send("POST", "/api/sync/retry", "{}",
                "Authorization", "Bearer " + third, "X-Tenant-ID", "acme", "Content-Type", "application/json");
        assertEquals(429, refused.statusCode());
        assertTrue(HttpProbe.json(refused).get("detail").toString().contains("sync triggers"));
    }
}
