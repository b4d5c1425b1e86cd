package dev.tributary.api;

import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.tributary.api.HttpProbe.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/me} over a real socket: each credential learns its id, its tenant and the roles it holds
 * (its own and the weaker ones it implies), and the refusals are the gate's as on every {@code /api} route.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallerApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-the-caller-tests-7";
    static final String JWT_SECRET = "jwt-secret-for-the-caller-tests-0123456789";

    @Inject
    EmbeddedServer server;

    private final Map<String, String> keys = new HashMap<>();

    @Override
    public Map<String, String> getProperties() {
        return ServiceSettings.of(TestPostgres.freshDatabase(), ADMIN_KEY).jwtSecret(JWT_SECRET).noWorker().properties();
    }

    @BeforeAll
    void tenantsAndKeys() {
        http().createTenant(ADMIN_KEY, "acme");
        http().createTenant(ADMIN_KEY, "globex");
        for (String role : List.of("sync:read", "sync:write", "sync:admin")) {
            keys.put(role, http().createApiKey(ADMIN_KEY, "acme", role));
        }
    }

    @Test
    void anApiKeyLearnsItsIdTenantAndTheRolesItsRoleImplies() {
        assertEquals(List.of("sync:read"), roles(keys.get("sync:read")));
        assertEquals(List.of("sync:read", "sync:write"), roles(keys.get("sync:write")));
        assertEquals(List.of("sync:read", "sync:write", "sync:admin"), roles(keys.get("sync:admin")));

        var caller = HttpProbe.json(me(keys.get("sync:read"), "acme"));
        assertEquals("acme", caller.get("tenant_id"));
        assertEquals(Map.of("principal", caller.get("principal"), "tenant_id", "acme", "roles", List.of("sync:read")),
                caller, "nothing beyond the three members");
        String principal = (String) caller.get("principal");
        assertTrue(principal.matches("key:[0-9a-f-]{36}"), principal);
        assertFalse(keys.get("sync:read").contains(principal.substring(4)), "the id is not the secret");
    }

    @Test
    void aJwtIsNamedByItsSubjectWithItsStrongestKnownRole() throws Exception {
        String jwt = TenantApiSecurityTest.hs256(JWT_SECRET, TenantApiSecurityTest.claims("acme",
                List.of("sync:write", "operator")).build());
        var caller = HttpProbe.json(me(jwt, "acme"));
        assertEquals("jwt:svc-acme", caller.get("principal"));
        assertEquals(List.of("sync:read", "sync:write"), caller.get("roles"));
    }

    @Test
    void theGateRefusesAsOnEveryApiRoute() throws Exception {
        var wrongKey = me("tk_not-a-key-anyone-was-given", "acme");
        assertProblem(wrongKey, 401, "unauthorized");
        assertEquals("Bearer", wrongKey.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertProblem(me(ADMIN_KEY, "acme"), 401, "unauthorized");
        assertProblem(me(keys.get("sync:admin"), "globex"), 403, "forbidden");
        assertProblem(http().get("/api/me", "Authorization", "Bearer " + keys.get("sync:read")), 400,
                "tenant_header_missing");
        String noRoles = TenantApiSecurityTest.hs256(JWT_SECRET, TenantApiSecurityTest.claims("acme", List.of()).build());
        var roleless = me(noRoles, "acme");
        assertProblem(roleless, 403, "forbidden");
        assertEquals("This operation needs the role sync:read", HttpProbe.json(roleless).get("detail"));
    }

    private List<?> roles(String key) {
        var response = me(key, "acme");
        assertEquals(200, response.statusCode(), response.body());
        return (List<?>) HttpProbe.json(response).get("roles");
    }

    private HttpResponse<String> me(String credential, String tenant) {
        return http().get("/api/me", "Authorization", "Bearer " + credential, "X-Tenant-ID", tenant);
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }
}
