package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
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

import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppsApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-apps-tests-0000001";

    @Inject
    EmbeddedServer server;

    @Inject
    dev.tributary.scheduler.app.Apps apps;

    private TestDatabase database;
    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 3);
    private String acmeAdmin;
    private String acmeRead;
    private String globexAdmin;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return ServiceSettings.of(database, ADMIN_KEY).localSources().properties();
    }

    @BeforeAll
    void tenantsAndKeys() {
        for (String tenant : List.of("acme", "globex")) {
            http().createTenant(ADMIN_KEY, tenant);
        }
        acmeAdmin = key("acme", "sync:admin");
        acmeRead = key("acme", "sync:read");
        globexAdmin = key("globex", "sync:admin");
    }

    @AfterAll
    void stopSaas() {
        saas.close();
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private String key(String tenant, String role) {
        return http().createApiKey(ADMIN_KEY, tenant, role);
    }

    private HttpResponse<String> call(String key, String tenant, String method, String path, String body) {
        return http().send(method, path, body, "Authorization", "Bearer " + key, "X-Tenant-ID", tenant,
                "Content-Type", "application/json");
    }

    private String app(String appKey, String extra) {
        return "{\"app_key\": \"" + appKey + "\", \"connector\": \"http-json\", \"name\": \"Items\","
                + " \"config\": {\"base_url\": \"" + saas.baseUri() + "\", \"auth\": {\"type\": \"bearer\"},"
                + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]},"
                + " \"credentials\": {\"token\": \"tok-secret-123\"}" + extra + "}";
    }

    private int appCount(String key, String tenant) {
        return ((Number) HttpProbe.json(call(key, tenant, "GET", "/api/apps", null)).get("total")).intValue();
    }

    /**
     * A deletion answers no body, or a problem: a client that accepts only {@code application/problem+json}
     * (what an SDK generated from the document sends) gets its 204, not a 406.
     */
    @Test
    void aDeletionAnswersAClientThatAcceptsOnlyProblems() {
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("problems-only", "")).statusCode());
        String[] acceptingProblems = {"Authorization", "Bearer " + acmeAdmin, "X-Tenant-ID", "acme",
                "Accept", "application/problem+json"};
        assertEquals(204, http().send("DELETE", "/api/apps/problems-only", null, acceptingProblems).statusCode());
        var gone = http().send("DELETE", "/api/apps/problems-only", null, acceptingProblems);
        assertEquals(404, gone.statusCode(), gone.body());
        assertEquals("application/problem+json", gone.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void catalogListsConnectorsWithTheirCapabilities() {
        var catalog = HttpProbe.json(call(acmeRead, "acme", "GET", "/api/connectors", null));
        var httpJson = ((List<?>) catalog.get("items")).stream().map(c -> (Map<?, ?>) c)
                .filter(c -> c.get("provider").equals("http-json")).findFirst().orElseThrow();
        assertEquals(Map.of("webhooks", false, "incremental", true, "fetch_by_id", true,
                "destination", true), httpJson.get("capabilities"));
    }

    @Test
    void createsReadsListsUpdatesAnApp() {
        var created = call(acmeAdmin, "acme", "POST", "/api/apps", app("items", ", \"sync_from\": \"2024-01-01T00:00:00Z\","
                + " \"schedule\": {\"cron\": \"0 6 * * 1-5\", \"timezone\": \"America/Toronto\"},"
                + " \"retry_policy\": {\"max_attempts\": 5}, \"alerts\": {\"emails\": [\"ops@acme.test\"]}"));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("/api/apps/items", created.headers().firstValue("Location").orElseThrow());
        var app = HttpProbe.json(created);
        assertEquals(true, app.get("credentials_set"));
        assertFalse(created.body().contains("tok-secret-123"), "credentials are never returned");
        assertEquals(Map.of("cron", "0 6 * * 1-5", "timezone", "America/Toronto", "mode", "incremental", "enabled", true),
                app.get("schedule"));
        assertEquals(5, ((Number) ((Map<?, ?>) app.get("retry_policy")).get("max_attempts")).intValue());

        assertEquals("Items", HttpProbe.json(call(acmeRead, "acme", "GET", "/api/apps/items", null)).get("name"));
        var patched = call(acmeAdmin, "acme", "PATCH", "/api/apps/items",
                "{\"name\": \"Renamed\", \"schedule\": {\"mode\": \"full\", \"enabled\": false}}");
        assertEquals(200, patched.statusCode(), patched.body());
        var after = HttpProbe.json(patched);
        assertEquals("Renamed", after.get("name"));
        assertEquals(Map.of("cron", "0 6 * * 1-5", "timezone", "America/Toronto", "mode", "full", "enabled", false),
                after.get("schedule"));
        assertEquals(true, after.get("credentials_set"), "credentials kept when not given");

        assertEquals(409, call(acmeAdmin, "acme", "POST", "/api/apps", app("items", "")).statusCode());
        AdminApiTest.assertField(call(acmeAdmin, "acme", "PATCH", "/api/apps/items", "{\"connector\": \"stripe\"}"),
                "connector");
        assertEquals(404, call(acmeAdmin, "acme", "PATCH", "/api/apps/nope", "{\"name\": \"x\"}").statusCode());
    }

    @Test
    void everyValidationRuleNamesItsFieldAndCreatesNothing() {
        int before = appCount(acmeRead, "acme");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("app_key", "{\"connector\": \"http-json\", \"name\": \"x\"}");
        cases.put("app_key ", app("bad key", ""));
        cases.put("connector", "{\"app_key\": \"c1\", \"connector\": \"salesforce\", \"name\": \"x\"}");
        cases.put("name", "{\"app_key\": \"c2\", \"connector\": \"http-json\"}");
        cases.put("config.base_url", "{\"app_key\": \"c3\", \"connector\": \"http-json\", \"name\": \"x\", \"config\": {}}");
        cases.put("credentials.token", app("c4", "").replace("\"credentials\": {\"token\": \"tok-secret-123\"}", "\"credentials\": {}"));
        cases.put("sync_from", app("c5", ", \"sync_from\": \"yesterday\""));
        cases.put("schedule.cron", app("c6", ", \"schedule\": {\"cron\": \"0 0 6 * * 1-5\", \"timezone\": \"UTC\"}"));
        cases.put("schedule.cron ", app("c7", ", \"schedule\": {\"cron\": \"61 * * * *\", \"timezone\": \"UTC\"}"));
        cases.put("schedule.timezone", app("c8", ", \"schedule\": {\"cron\": \"0 6 * * *\", \"timezone\": \"Mars/Olympus\"}"));
        cases.put("schedule.timezone ", app("c9", ", \"schedule\": {\"cron\": \"0 6 * * *\", \"timezone\": \"+05:00\"}"));
        cases.put("schedule.mode", app("c10", ", \"schedule\": {\"mode\": \"sometimes\"}"));
        cases.put("retry_policy.max_attempts", app("c11", ", \"retry_policy\": {\"max_attempts\": 0}"));
        cases.put("alerts.webhook_url", app("c12", ", \"alerts\": {\"webhook_url\": \"ftp://x\"}"));
        cases.put("alerts.emails", app("c13", ", \"alerts\": {\"emails\": [\"not-an-email\"]}"));
        cases.put("colour", app("c14", ", \"colour\": \"blue\""));
        cases.put("schedule", app("c15", ", \"schedule\": \"daily\""));
        cases.forEach((field, body) -> AdminApiTest.assertField(call(acmeAdmin, "acme", "POST", "/api/apps", body),
                field.strip()));
        assertEquals(before, appCount(acmeRead, "acme"));
    }

    @Test
    void aCronNamingADayOfTheMonthAndADayOfTheWeekIsRefusedSayingWhyAndWhatToWriteInstead() {
        int before = appCount(acmeRead, "acme");
        var refused = call(acmeAdmin, "acme", "POST", "/api/apps", app("twice-monthly",
                ", \"schedule\": {\"cron\": \"0 0 1,15 * 1\", \"timezone\": \"UTC\"}"));
        AdminApiTest.assertField(refused, "schedule.cron");
        var error = (Map<?, ?>) ((List<?>) HttpProbe.json(refused).get("errors")).get(0);
        assertEquals("names both a day of the month (1,15) and a day of the week (1); standard cron would run on"
                + " either, which a schedule here cannot express: keep one of them * (0 0 1,15 * * or 0 0 * * 1)",
                error.get("message"));
        assertEquals(before, appCount(acmeRead, "acme"));
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("first-and-fifteenth",
                ", \"schedule\": {\"cron\": \"0 0 1,15 * *\", \"timezone\": \"UTC\"}")).statusCode());
    }

    @Test
    void readersCannotChangeAppsAndTenantsCannotSeeEachOthers() {
        assertEquals(403, call(acmeRead, "acme", "POST", "/api/apps", app("r1", "")).statusCode());
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("private", "")).statusCode());
        assertEquals(403, call(acmeRead, "acme", "DELETE", "/api/apps/private", null).statusCode());
        assertEquals(403, call(globexAdmin, "acme", "GET", "/api/apps/private", null).statusCode());
        assertEquals(404, call(globexAdmin, "globex", "GET", "/api/apps/private", null).statusCode());
        assertEquals(404, call(globexAdmin, "globex", "PATCH", "/api/apps/private", "{\"name\": \"mine\"}").statusCode());
        assertEquals(404, call(globexAdmin, "globex", "DELETE", "/api/apps/private", null).statusCode());
        assertEquals("Items", HttpProbe.json(call(acmeRead, "acme", "GET", "/api/apps/private", null)).get("name"));
        assertFalse(call(globexAdmin, "globex", "GET", "/api/apps", null).body().contains("private"));
    }

    @Test
    void theFirstAppOfAConnectorBringsItsViewWhichShowsEachTenantItsOwnRows() throws Exception {
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("viewed", "")).statusCode());
        assertEquals(201, call(globexAdmin, "globex", "POST", "/api/apps", app("viewed", "")).statusCode());
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM tributary.connector_migrations WHERE connector = 'http-json'");
            rs.next();
            assertEquals(1, rs.getInt(1), "applied once");
            for (String tenant : List.of("acme", "globex")) {
                c.createStatement().execute("INSERT INTO tributary.entities (tenant_id, app_key, collection_key,"
                        + " external_id, raw_payload, content_hash) VALUES ('" + tenant + "', 'viewed', 'items', 'v1',"
                        + " '{}', '\\x00')");
            }
        }
        // Through the service's own role: the view applies the caller's row-level security.
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.runtimeUsername(), database.runtimePassword())) {
            c.setAutoCommit(false);
            c.createStatement().execute("SET ROLE tributary_app");
            c.createStatement().execute("SET LOCAL tributary.tenant_id = 'acme'");
            var rs = c.createStatement().executeQuery("SELECT DISTINCT tenant_id FROM tributary.http_json_records");
            List<String> tenants = new java.util.ArrayList<>();
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
            assertEquals(List.of("acme"), tenants);
            c.rollback();
        }
    }

    @Test
    void anAppResolvesToItsConnectorWithConfigAndOpenedCredentials() throws Exception {
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("resolved", "")).statusCode());
        var connection = apps.load(new dev.tributary.tenancy.TenantId("acme"), "resolved").orElseThrow();
        assertEquals("http-json", connection.connector().metadata().provider());
        assertEquals(Map.of("token", "tok-secret-123"), connection.context().credentials());
        assertEquals(3, dev.tributary.connector.testkit.ConnectorContract.fetchAll(connection.connector(),
                connection.context(), dev.tributary.connector.FetchRequest.full("items")).ids().size());
        assertEquals(3, connection.maxAttempts(), "the default retry policy");
        assertTrue(apps.load(new dev.tributary.tenancy.TenantId("globex"), "resolved").isEmpty(),
                "another tenant has no such app");
    }

    @Test
    void credentialsAreSealedAtRest() throws Exception {
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("sealed", "")).statusCode());
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery(
                    "SELECT credentials_enc, config::text FROM tributary.apps WHERE app_key = 'sealed'");
            rs.next();
            assertFalse(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1).contains("tok-secret-123"));
            assertFalse(rs.getString(2).contains("tok-secret-123"));
        }
    }

    @Test
    void deletingAnAppRemovesItsEntitiesAndStateAndNothingElse() throws Exception {
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("doomed", "")).statusCode());
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("kept", "")).statusCode());
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            for (String appKey : List.of("doomed", "kept")) {
                c.createStatement().execute("INSERT INTO tributary.entities (tenant_id, app_key, collection_key,"
                        + " external_id, raw_payload, content_hash) VALUES ('acme', '" + appKey + "', 'items', 'x',"
                        + " '{}', '\\x00')");
                c.createStatement().execute("INSERT INTO tributary.sync_state (tenant_id, app_key, collection_key)"
                        + " VALUES ('acme', '" + appKey + "', 'items')");
                c.createStatement().execute("INSERT INTO tributary.sync_locks (tenant_id, app_key, collection_key)"
                        + " VALUES ('acme', '" + appKey + "', 'items')");
            }
        }
        assertEquals(204, call(acmeAdmin, "acme", "DELETE", "/api/apps/doomed", null).statusCode());
        assertEquals(404, call(acmeRead, "acme", "GET", "/api/apps/doomed", null).statusCode());
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            for (String table : List.of("apps", "entities", "sync_state", "sync_locks")) {
                var rs = c.createStatement().executeQuery("SELECT app_key, count(*) FROM tributary." + table
                        + " WHERE app_key IN ('doomed', 'kept') GROUP BY app_key");
                Map<String, Integer> counts = new HashMap<>();
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
                assertEquals(Map.of("kept", 1), counts, table);
            }
        }
    }
}
