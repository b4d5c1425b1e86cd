package dev.tributary.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every access rule of /api, /admin and the input limits, over a real socket. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantApiSecurityTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-security-tests-42";
    static final String JWT_SECRET = "jwt-secret-for-security-tests-0123456789";
    static final String ALLOWED_ORIGIN = "https://app.example.com";

    @Inject
    EmbeddedServer server;

    private TestDatabase database;
    private HttpServer jwksServer;
    private RSAKey signingKey;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    private String acmeRead;
    private String acmeAdmin;
    private String globexRead;
    private String dormantRead;
    private String revokedKey;
    private final UUID acmeRun = UUID.randomUUID();
    private final UUID globexRun = UUID.randomUUID();

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        try {
            signingKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
            jwksServer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            byte[] jwks = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            jwksServer.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            jwksServer.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ServiceSettings.of(database, ADMIN_KEY).jwtSecret(JWT_SECRET)
                .with("tributary.jwt.jwks-url", "http://localhost:" + jwksServer.getAddress().getPort() + "/jwks.json")
                .with("tributary.cors.allowed-origins", ALLOWED_ORIGIN)
                .properties();
    }

    @BeforeAll
    void tenantsKeysAndRuns() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        logs.start();
        for (String tenant : List.of("acme", "globex", "dormant")) {
            admin("POST", "/admin/tenants", "{\"id\": \"" + tenant + "\", \"name\": \"" + tenant + "\"}");
        }
        acmeRead = issueKey("acme", "sync:read");
        acmeAdmin = issueKey("acme", "sync:admin");
        globexRead = issueKey("globex", "sync:read");
        dormantRead = issueKey("dormant", "sync:read");
        revokedKey = issueKey("acme", "sync:read");
        var keys = HttpProbe.json(admin("GET", "/admin/tenants/acme/api-keys", null));
        String revokedId = ((List<?>) keys.get("items")).stream().map(k -> (Map<?, ?>) k)
                .filter(k -> revokedKey.startsWith((String) k.get("prefix"))).findFirst().orElseThrow().get("id").toString();
        assertEquals(200, admin("DELETE", "/admin/tenants/acme/api-keys/" + revokedId, null).statusCode());
        admin("POST", "/admin/tenants/dormant/disable", null);

        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var insert = c.prepareStatement("INSERT INTO tributary.sync_runs (tenant_id, id, app_key, collection_key, mode,"
                    + " trigger, status) VALUES (?, ?, 'billing', 'stripe_customer', 'full', 'manual', 'completed')");
            for (var run : Map.of("acme", acmeRun, "globex", globexRun).entrySet()) {
                insert.setString(1, run.getKey());
                insert.setObject(2, run.getValue());
                insert.executeUpdate();
            }
        }
    }

    @AfterAll
    void stopJwks() {
        jwksServer.stop(0);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    // --- authentication: 401 -------------------------------------------------------------

    @Test
    void missingMalformedUnknownRevokedExpiredOrBadlySignedCredentialsAre401() throws Exception {
        var expired = hs256(JWT_SECRET, claims("acme", List.of("sync:read")).expirationTime(new Date(1000)).build());
        var badlySigned = hs256("some-other-secret-of-at-least-32-bytes", claims("acme", List.of("sync:read")).build());
        for (var headers : List.of(
                new String[]{"X-Tenant-ID", "acme"},
                new String[]{"Authorization", "Basic " + acmeRead, "X-Tenant-ID", "acme"},
                new String[]{"Authorization", "Bearer ", "X-Tenant-ID", "acme"},
                new String[]{"Authorization", "Bearer trb_live_doesnotexist", "X-Tenant-ID", "acme"},
                new String[]{"Authorization", "Bearer " + revokedKey, "X-Tenant-ID", "acme"},
                new String[]{"Authorization", "Bearer " + expired, "X-Tenant-ID", "acme"},
                new String[]{"Authorization", "Bearer " + badlySigned, "X-Tenant-ID", "acme"},
                new String[]{"Authorization", "Bearer not.a.jwt", "X-Tenant-ID", "acme"})) {
            var response = http().get("/api/sync/status", headers);
            assertEquals(401, response.statusCode(), String.join(" ", headers));
            assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertProblem(response, "unauthorized");
        }
    }

    // --- tenant header: 400 --------------------------------------------------------------

    @Test
    void missingOrMalformedTenantHeaderIs400() {
        assertProblem(api(acmeRead, null, "/api/sync/status"), "tenant_header_missing", 400);
        assertProblem(api(acmeRead, "acme corp", "/api/sync/status"), "tenant_header_invalid", 400);
        assertProblem(api(acmeRead, "x".repeat(65), "/api/sync/status"), "tenant_header_invalid", 400);
    }

    // --- tenant and role: 403 ------------------------------------------------------------

    @Test
    void aTenantTheCredentialIsNotGrantedOrADisabledTenantIs403() throws Exception {
        assertProblem(api(acmeRead, "globex", "/api/sync/status"), "forbidden", 403);
        assertProblem(api(acmeRead, "nobody", "/api/sync/status"), "forbidden", 403);
        assertProblem(api(dormantRead, "dormant", "/api/sync/status"), "forbidden", 403);
        var jwtForDormant = hs256(JWT_SECRET, claims("dormant", List.of("sync:admin")).build());
        assertProblem(api(jwtForDormant, "dormant", "/api/sync/status"), "forbidden", 403);
    }

    @Test
    void aCredentialWithoutTheRoleIs403AndStrongerRolesImplyWeakerOnes() throws Exception {
        var noRoles = hs256(JWT_SECRET, claims("acme", List.of()).build());
        assertProblem(api(noRoles, "acme", "/api/sync/status"), "forbidden", 403);
        var unknownRole = hs256(JWT_SECRET, claims("acme", List.of("superuser")).build());
        assertProblem(api(unknownRole, "acme", "/api/sync/status"), "forbidden", 403);
        assertEquals(200, api(acmeAdmin, "acme", "/api/sync/status").statusCode(), "admin implies read");
    }

    // --- JWTs that work ------------------------------------------------------------------

    @Test
    void hs256AndJwksSignedTokensAuthenticate() throws Exception {
        var single = hs256(JWT_SECRET, claims("acme", List.of("sync:read")).build());
        assertEquals(200, api(single, "acme", "/api/sync/status").statusCode());

        var several = hs256(JWT_SECRET, new JWTClaimsSet.Builder().subject("ops").claim("tenants", List.of("acme", "globex"))
                .claim("roles", List.of("sync:write")).expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        assertEquals(200, api(several, "acme", "/api/sync/status").statusCode());
        assertEquals(200, api(several, "globex", "/api/sync/status").statusCode());
        assertProblem(api(several, "dormant", "/api/sync/status"), "forbidden", 403);

        var rs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("test-key").build(),
                claims("acme", List.of("sync:read")).build());
        rs256.sign(new RSASSASigner(signingKey));
        assertEquals(200, api(rs256.serialize(), "acme", "/api/sync/status").statusCode());
    }

    // --- isolation matrix ----------------------------------------------------------------

    @Test
    void aTenantsCredentialNeverReachesAnotherTenantsData() {
        // Every /api endpoint, with acme's credential and globex's tenant id: refused.
        for (String path : List.of("/api/sync/status", "/api/sync/status/" + globexRun, "/api/sync/status/" + acmeRun)) {
            assertProblem(api(acmeRead, "globex", path), "forbidden", 403);
        }
        // Acme's own tenant, globex's ids in the path: not found, as if they did not exist.
        assertProblem(api(acmeRead, "acme", "/api/sync/status/" + globexRun), "not_found", 404);
        // Lists show only the caller's rows.
        var acmeList = HttpProbe.json(api(acmeRead, "acme", "/api/sync/status"));
        assertEquals(1, ((Number) acmeList.get("total")).intValue());
        assertEquals(acmeRun.toString(), ((Map<?, ?>) ((List<?>) acmeList.get("items")).get(0)).get("sync_id"));
        var globexList = HttpProbe.json(api(globexRead, "globex", "/api/sync/status"));
        assertEquals(List.of(globexRun.toString()),
                ((List<?>) globexList.get("items")).stream().map(i -> ((Map<?, ?>) i).get("sync_id")).toList());
        assertEquals(200, api(acmeRead, "acme", "/api/sync/status/" + acmeRun).statusCode());
    }

    @Test
    void listFiltersAreValidated() {
        assertFieldProblem(api(acmeRead, "acme", "/api/sync/status?app_key=bad%20key"), "app_key");
        assertFieldProblem(api(acmeRead, "acme", "/api/sync/status?collection=" + "c".repeat(65)), "collection");
        assertFieldProblem(api(acmeRead, "acme", "/api/sync/status?status=exploded"), "status");
        assertFieldProblem(api(acmeRead, "acme", "/api/sync/status?limit=0"), "limit");
        assertEquals(0, ((Number) HttpProbe.json(api(acmeRead, "acme", "/api/sync/status?status=failed"))
                .get("total")).intValue());
    }

    // --- body limits ---------------------------------------------------------------------

    @Test
    void bodiesOverOneMegabyteAre413WithOrWithoutAHonestLength() throws Exception {
        byte[] big = ("{\"name\": \"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        // A declared length over the limit is refused first, whatever the credential or route.
        for (String path : List.of("/api/sync", "/admin/tenants", "/webhooks/acme/billing")) {
            var sized = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.getURI().resolve(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertProblem(sized, "payload_too_large", 413);
        }
        // A chunked body with no length is cut off at the limit while it is read.
        var chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.getURI().resolve("/admin/tenants"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(chunked, "payload_too_large", 413);
        assertEquals(404, admin("GET", "/admin/tenants/" + "x".repeat(20), null).statusCode(), "nothing was created");
        // A Content-Length claiming more than the limit is refused before any body arrives.
        String raw = rawExchange("POST /admin/tenants HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{}");
        assertTrue(raw.startsWith("HTTP/1.1 413"), raw);
        // A Content-Length claiming less than is sent: only the declared bytes are read, and they are not JSON.
        String shortClaim = rawExchange("POST /admin/tenants HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n"
                + "{\"id\": \"liar\", \"name\": \"" + "x".repeat(2_000_000) + "\"}");
        assertTrue(shortClaim.startsWith("HTTP/1.1 400"), shortClaim);
        assertEquals(404, admin("GET", "/admin/tenants/liar", null).statusCode(), "nothing was created");
    }

    // --- secrets -------------------------------------------------------------------------

    @Test
    void noSecretEverReachesTheLogs() throws Exception {
        var jwt = hs256(JWT_SECRET, claims("acme", List.of("sync:read")).build());
        api(jwt, "acme", "/api/sync/status");
        api(acmeRead, "acme", "/api/sync/status/" + acmeRun);
        api(acmeRead, "globex", "/api/sync/status");
        http().get("/test-probe/crash", "Authorization", "Bearer " + acmeRead);
        String issued = issueKey("acme", "sync:read");
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            String text = event.getFormattedMessage() + " " + event.getMDCPropertyMap() + " "
                    + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            for (String secret : List.of(ADMIN_KEY, JWT_SECRET, jwt, acmeRead, acmeAdmin, issued,
                    ServiceProcess.TEST_MASTER_KEY, database.runtimePassword())) {
                assertFalse(text.contains(secret), "secret in log: " + text);
            }
        }
    }

    @Test
    void logLinesOfATenantRequestCarryTheTenantAndTheRequestId() {
        var response = http().get("/api/test-probe/crash", "Authorization", "Bearer " + acmeRead, "X-Tenant-ID", "acme",
                "X-Request-ID", "trace-tenant-log");
        assertEquals(500, response.statusCode());
        var line = List.copyOf(logs.list).stream()
                .filter(e -> e.getFormattedMessage().contains("/api/test-probe/crash")).findFirst().orElseThrow();
        assertEquals("acme", line.getMDCPropertyMap().get("tenant"));
        assertEquals("trace-tenant-log", line.getMDCPropertyMap().get("request_id"));
    }

    // --- CORS ----------------------------------------------------------------------------

    @Test
    void onlyConfiguredOriginsGetCorsAnswersAndNeverAWildcard() {
        var preflight = http().send("OPTIONS", "/api/sync/status", null, "Origin", ALLOWED_ORIGIN,
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization,x-tenant-id");
        assertEquals(204, preflight.statusCode());
        assertEquals(ALLOWED_ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().contains("X-Tenant-ID"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());

        var foreign = http().send("OPTIONS", "/api/sync/status", null, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "GET");
        assertEquals(403, foreign.statusCode());
        assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertEquals(403, http().send("OPTIONS", "/api/sync/status", null).statusCode(), "only preflights are answered");

        var allowed = http().get("/api/sync/status", "Origin", ALLOWED_ORIGIN,
                "Authorization", "Bearer " + acmeRead, "X-Tenant-ID", "acme");
        assertEquals(200, allowed.statusCode(), "a configured origin is served, the service on localhost or not: "
                + allowed.body());
        assertEquals(ALLOWED_ORIGIN, allowed.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        var other = http().get("/api/sync/status", "Origin", "https://evil.example",
                "Authorization", "Bearer " + acmeRead, "X-Tenant-ID", "acme");
        assertEquals(403, other.statusCode(), "a cross-origin request from elsewhere is refused, not only unreadable");
        assertEquals("application/problem+json", other.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("origin_not_allowed", HttpProbe.json(other).get("code"));
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(other.headers().firstValue("Set-Cookie").isEmpty());
        String self = server.getURI().getScheme() + "://" + server.getURI().getAuthority();
        assertEquals(200, http().get("/api/sync/status", "Origin", self, "Authorization", "Bearer " + acmeRead,
                "X-Tenant-ID", "acme").statusCode(), "a same-origin request carries Origin too");
        assertEquals("origin_not_allowed", HttpProbe.json(foreign).get("code"));
    }

    // --- helpers -------------------------------------------------------------------------

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private HttpResponse<String> api(String bearer, String tenant, String path) {
        return tenant == null
                ? http().get(path, "Authorization", "Bearer " + bearer)
                : http().get(path, "Authorization", "Bearer " + bearer, "X-Tenant-ID", tenant);
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return http().send(method, path, body, "Authorization", "Bearer " + ADMIN_KEY, "Content-Type", "application/json");
    }

    private String issueKey(String tenant, String role) {
        var response = admin("POST", "/admin/tenants/" + tenant + "/api-keys",
                "{\"name\": \"k\", \"roles\": [\"" + role + "\"]}");
        assertEquals(201, response.statusCode(), response.body());
        return (String) HttpProbe.json(response).get("key");
    }

    static JWTClaimsSet.Builder claims(String tenant, List<String> roles) {
        return new JWTClaimsSet.Builder().subject("svc-" + tenant).claim("tenant_id", tenant).claim("roles", roles)
                .expirationTime(new Date(System.currentTimeMillis() + 60_000));
    }

    static String hs256(String secret, JWTClaimsSet claims) throws Exception {
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private String rawExchange(String request) {
        try (var socket = new Socket("localhost", server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            byte[] buffer = new byte[4096];
            int read = socket.getInputStream().read(buffer);
            return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertProblem(HttpResponse<String> response, String code) {
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow(),
                response.body());
        assertEquals(code, HttpProbe.json(response).get("code"), response.body());
    }

    private static void assertProblem(HttpResponse<String> response, String code, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertProblem(response, code);
    }

    private static void assertFieldProblem(HttpResponse<String> response, String field) {
        AdminApiTest.assertField(response, field);
    }
}
