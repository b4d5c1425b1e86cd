package dev.tributary.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How micronaut-security is set up around the access rules TenantApiSecurityTest drives: every route says who
 * may call it, each credential counts only where it belongs, micronaut-security adds no routes of its own, and
 * the OpenAPI document shows the scheme and the roles.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessRulesTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-access-rules-0123";
    static final String JWT_SECRET = "jwt-secret-for-access-rules-0123456789";

    @Inject
    EmbeddedServer server;

    private String acmeRead;
    private String acmeWrite;
    private String acmeAdmin;

    @Override
    public Map<String, String> getProperties() {
        return ServiceSettings.of(TestPostgres.freshDatabase(), ADMIN_KEY).jwtSecret(JWT_SECRET).properties();
    }

    @BeforeAll
    void acmeWithAKeyOfEachRole() {
        http().createTenant(ADMIN_KEY, "acme");
        acmeRead = http().createApiKey(ADMIN_KEY, "acme", "sync:read");
        acmeWrite = http().createApiKey(ADMIN_KEY, "acme", "sync:write");
        acmeAdmin = http().createApiKey(ADMIN_KEY, "acme", "sync:admin");
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    @Test
    void aRouteThatDeclaresNoRoleRefusesEveryCaller() {
        var anonymous = http().get("/api/test-probe/undeclared", "X-Tenant-ID", "acme");
        assertProblem(anonymous, 401, "unauthorized");
        assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        var admin = http().get("/api/test-probe/undeclared", HttpProbe.asTenant(acmeAdmin, "acme"));
        assertProblem(admin, 403, "forbidden");
        assertEquals("This operation is not open to any credential", HttpProbe.json(admin).get("detail"));

        var outsideApi = http().get("/undeclared-probe");
        assertProblem(outsideApi, 401, "unauthorized");
        assertEquals("Bearer", outsideApi.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertProblem(http().get("/undeclared-probe", HttpProbe.asTenant(acmeAdmin, "acme")), 403, "forbidden");
    }

    @Test
    void aRoleAdmitsTheRolesBelowItAndTheRefusalNamesTheRoleNeeded() {
        assertEquals(200, http().get("/api/apps", HttpProbe.asTenant(acmeWrite, "acme")).statusCode(), "write implies read");
        var readOnly = http().send("POST", "/api/sync", "{\"app_key\": \"nothing\"}", HttpProbe.asTenant(acmeRead, "acme"));
        assertProblem(readOnly, 403, "forbidden");
        assertEquals("This operation needs the role sync:write", HttpProbe.json(readOnly).get("detail"));
        var writeOnly = http().send("POST", "/api/apps", "{}", HttpProbe.asTenant(acmeWrite, "acme"));
        assertProblem(writeOnly, 403, "forbidden");
        assertEquals("This operation needs the role sync:admin", HttpProbe.json(writeOnly).get("detail"));
        assertEquals(404, http().send("POST", "/api/sync", "{\"app_key\": \"nothing\"}",
                HttpProbe.asTenant(acmeAdmin, "acme")).statusCode(), "admin implies write: the trigger ran, its app is unknown");
    }

    @Test
    void eachCredentialCountsOnlyWhereItBelongs() throws Exception {
        var operatorAtApi = http().get("/api/apps", "Authorization", "Bearer " + ADMIN_KEY, "X-Tenant-ID", "acme");
        assertProblem(operatorAtApi, 401, "unauthorized");
        assertEquals("Bearer", operatorAtApi.headers().firstValue("WWW-Authenticate").orElseThrow());
        String tenantJwt = TenantApiSecurityTest.hs256(JWT_SECRET, TenantApiSecurityTest.claims("acme",
                List.of("sync:admin")).claim("roles", List.of("sync:admin", "operator")).build());
        assertEquals(200, http().get("/api/apps", HttpProbe.asTenant(tenantJwt, "acme")).statusCode());
        for (String tenantCredential : List.of(acmeAdmin, tenantJwt)) {
            var tenantAtAdmin = http().get("/admin/tenants", "Authorization", "Bearer " + tenantCredential);
            assertProblem(tenantAtAdmin, 401, "unauthorized");
            assertEquals("Bearer", tenantAtAdmin.headers().firstValue("WWW-Authenticate").orElseThrow());
        }
    }

    @Test
    void aTokenInACookieIsNoCredential() throws Exception {
        String tenantJwt = TenantApiSecurityTest.hs256(JWT_SECRET, TenantApiSecurityTest.claims("acme",
                List.of("sync:admin")).build());
        for (String cookie : List.of("JWT=" + tenantJwt, "JWT=" + acmeAdmin)) {
            assertProblem(http().get("/api/apps", "Cookie", cookie, "X-Tenant-ID", "acme"), 401, "unauthorized");
        }
    }

    @Test
    void aBearerTokenMayFollowSeveralSpaces() {
        assertEquals(200, http().get("/api/apps", "Authorization", "Bearer    " + acmeRead, "X-Tenant-ID", "acme")
                .statusCode());
        assertEquals(200, http().get("/admin/tenants", "Authorization", "bearer  " + ADMIN_KEY).statusCode());
    }

    @Test
    void micronautSecurityServesNoEndpointsOfItsOwn() {
        for (String path : List.of("/keys", "/login", "/logout", "/token_info", "/oauth/access_token")) {
            for (String method : List.of("GET", "POST")) {
                var response = http().send(method, path, "{}", HttpProbe.asTenant(acmeAdmin, "acme"));
                assertTrue(response.statusCode() == 404 || response.statusCode() == 405, method + " " + path + ": "
                        + response.statusCode() + " " + response.body());
                assertFalse(response.body().contains(acmeAdmin.substring(0, 16)), response.body());
            }
        }
    }

    @Test
    void linesLoggedWhileServingATenantRequestCarryTheTenant() {
        var logs = new ListAppender<ILoggingEvent>();
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        logs.start();
        try {
            assertEquals(200, http().get("/api/test-probe/log", HttpProbe.asTenant(acmeRead, "acme")).statusCode());
        } finally {
            root.detachAppender(logs);
        }
        var line = List.copyOf(logs.list).stream()
                .filter(e -> e.getFormattedMessage().equals("tenant probe serving its request")).findFirst().orElseThrow();
        assertEquals("acme", line.getMDCPropertyMap().get("tenant"));
    }

    /**
     * Two bearer schemes, a tenant's for /api and the operator's for /admin, and none for webhooks. OpenAPI 3.0
     * lets only OAuth schemes list scopes, so each operation names the role it needs in its description.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDeclaresTheBearerSchemesAndEachOperationsRole() {
        Map<String, Object> document = new Yaml().load(http().get("/openapi/tributary.yml").body());
        var schemes = (Map<String, Map<String, Object>>) ((Map<String, Object>) document.get("components")).get("securitySchemes");
        for (String scheme : List.of("tenantToken", "adminKey")) {
            assertEquals("http", schemes.get(scheme).get("type"), scheme);
            assertEquals("bearer", schemes.get(scheme).get("scheme"), scheme);
        }
        var paths = (Map<String, Map<String, Map<String, Object>>>) document.get("paths");
        var tenant = List.of(Map.of("tenantToken", List.of()));
        assertOperation(paths.get("/api/sync/status").get("get"), tenant, "sync:read");
        assertOperation(paths.get("/api/sync").get("post"), tenant, "sync:write");
        assertOperation(paths.get("/api/apps").get("post"), tenant, "sync:admin");
        assertEquals(List.of(Map.of("adminKey", List.of())), paths.get("/admin/tenants").get("get").get("security"));
        assertEquals(List.of(), paths.get("/webhooks/{tenantId}/{appKey}").get("post").get("security"), "webhooks take no bearer");
    }

    private static void assertOperation(Map<String, Object> operation, List<?> security, String role) {
        assertEquals(security, operation.get("security"), operation.get("operationId").toString());
        assertTrue(((String) operation.get("description")).endsWith("Role: `" + role + "`."), operation.toString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(code, HttpProbe.json(response).get("code"), response.body());
    }
}
