package dev.tributary.api;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service as its own process: what operators see when it starts, and when it cannot. */
class StartupTest {

    @Test
    void migratesAnEmptyDatabaseAndAnswersHealthWithin20Seconds() throws Exception {
        TestDatabase database = TestPostgres.freshDatabase();
        try (var service = ServiceProcess.start(Map.of(
                "DATASOURCES_DEFAULT_URL", database.jdbcUrl(),
                "DATASOURCES_DEFAULT_USERNAME", database.username(),
                "DATASOURCES_DEFAULT_PASSWORD", database.password()))) {
            var http = new HttpProbe(service.uri());
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> http.get("/health").statusCode() == 200);

            try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM tributary.flyway_schema_history");
                rs.next();
                assertTrue(rs.getInt(1) >= 3, "migrations were not applied");
            }
            // Logs are one JSON object per line.
            for (String line : service.stdoutText().lines().filter(l -> !l.isBlank()).toList()) {
                var event = JsonMapper.createDefault().readValue(line, Argument.mapOf(String.class, Object.class));
                assertTrue(event.containsKey("message") && event.containsKey("level"), line);
            }
        }
    }

    @Test
    void withNoDatabaseConfiguredItStartsTheEmbeddedOneAndKeepsItsData(@TempDir Path workDirectory) throws Exception {
        Path dataDirectory = workDirectory.resolve("pgdata");
        var environment = Map.of(
                // Nothing configured: the embedded default also generates the local master key.
                "TRIBUTARY_MASTER_KEY", "",
                "TRIBUTARY_EMBEDDED_DB_DIRECTORY", dataDirectory.toString(),
                "TRIBUTARY_EMBEDDED_DB_PORT", Integer.toString(ServiceProcess.freePort()));
        try (var service = ServiceProcess.start(environment)) {
            var http = new HttpProbe(service.uri());
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> http.get("/health").statusCode() == 200);
        }
        assertTrue(Files.exists(dataDirectory.resolve("PG_VERSION")), "no PostgreSQL data kept");
        String masterKey = Files.readString(workDirectory.resolve("master.key"));
        // A second start reuses the same data directory.
        try (var service = ServiceProcess.start(environment)) {
            var http = new HttpProbe(service.uri());
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> http.get("/health/readiness").statusCode() == 200);
        }
        assertEquals(masterKey, Files.readString(workDirectory.resolve("master.key")), "the local key is kept");
    }

    @Test
    void missingMasterKeyStopsStartUpWithOneLineNamingIt() throws Exception {
        assertOneLineFailure(Map.of("TRIBUTARY_MASTER_KEY", "", "DATASOURCES_DEFAULT_URL", freshUrl()),
                "TRIBUTARY_MASTER_KEY is not set");
    }

    @Test
    void malformedMasterKeyStopsStartUpWithOneLineNamingIt() throws Exception {
        assertOneLineFailure(Map.of("TRIBUTARY_MASTER_KEY", "c2hvcnQ=", "DATASOURCES_DEFAULT_URL", freshUrl()),
                "TRIBUTARY_MASTER_KEY must decode to 32 bytes");
    }

    @Test
    void badPortStopsStartUpWithOneLineNamingIt() throws Exception {
        assertOneLineFailure(Map.of("MICRONAUT_SERVER_PORT", "eighty", "DATASOURCES_DEFAULT_URL", freshUrl()),
                "invalid setting micronaut.server.port (MICRONAUT_SERVER_PORT)");
    }

    @Test
    void badSchedulerSettingStopsStartUpWithOneLineNamingIt() throws Exception {
        assertOneLineFailure(Map.of("TRIBUTARY_SCHEDULER_THREADS", "0", "DATASOURCES_DEFAULT_URL", freshUrl()),
                "invalid setting tributary.scheduler.threads (TRIBUTARY_SCHEDULER_THREADS): must be greater than or equal to 1");
    }

    @Test
    void aBadRateLimitStopsStartUpRatherThanFailingRequests() throws Exception {
        assertOneLineFailure(Map.of("TRIBUTARY_RATE_LIMIT_SYNC_TRIGGERS_PER_MINUTE", "1000000",
                "DATASOURCES_DEFAULT_URL", freshUrl()), "invalid setting tributary.rate-limit.sync-triggers-per-minute"
                + " (TRIBUTARY_RATE_LIMIT_SYNC_TRIGGERS_PER_MINUTE): must be less than or equal to 100000");
    }

    @Test
    void unconvertibleSchedulerSettingStopsStartUpWithOneLineNamingIt() throws Exception {
        assertOneLineFailure(Map.of("TRIBUTARY_SCHEDULER_THREADS", "many", "DATASOURCES_DEFAULT_URL", freshUrl()),
                "invalid setting tributary.scheduler.threads (TRIBUTARY_SCHEDULER_THREADS)");
    }

    @Test
    void unreachableDatabaseStopsStartUpWithOneLineNamingIt() throws Exception {
        int closedPort = ServiceProcess.freePort();
        assertOneLineFailure(Map.of("DATASOURCES_DEFAULT_URL", "jdbc:postgresql://localhost:" + closedPort + "/x"),
                "database unreachable (check DATASOURCES_DEFAULT_URL");
    }

    @Test
    void malformedDatabaseUrlStopsStartUpWithOneLineNamingIt() throws Exception {
        assertOneLineFailure(Map.of("DATASOURCES_DEFAULT_URL", "postgres://nowhere"),
                "DATASOURCES_DEFAULT_URL: Invalid JDBC URL");
    }

    @Test
    void assemblesConnectorMigrationsWithoutADatabase() throws Exception {
        try (var command = ServiceProcess.start(Map.of(), "migrations", "assemble", "--connectors", "http-json")) {
            assertEquals(0, command.awaitExit(Duration.ofSeconds(60)), command.stderrText());
            String script = command.stdoutText();
            assertTrue(script.startsWith("-- Tributary connector migrations for: http-json"), script);
            assertTrue(script.contains("-- http-json · V1__http_json_records_view.sql"), script);
            assertTrue(script.contains("CREATE OR REPLACE VIEW tributary.http_json_records"), script);
        }
        try (var command = ServiceProcess.start(Map.of(), "migrations", "assemble", "--connectors", "nope")) {
            assertEquals(1, command.awaitExit(Duration.ofSeconds(60)));
            assertTrue(command.stderrText().contains("no migrations for connector nope"));
        }
    }

    @Test
    void syncCommandRunsOneSyncWithAPlainProgressLinePerBatchWhenNotOnATerminal() throws Exception {
        TestDatabase database = TestPostgres.freshDatabase();
        try (var saas = dev.tributary.connector.testkit.FakeSaasServer.start().putMany("items", "item", 12)) {
            Map<String, String> environment = Map.of(
                    "DATASOURCES_DEFAULT_URL", database.jdbcUrl(),
                    "DATASOURCES_DEFAULT_USERNAME", database.username(),
                    "DATASOURCES_DEFAULT_PASSWORD", database.password(),
                    "TRIBUTARY_CONNECTORS_HTTP_JSON_ALLOW_PRIVATE_ADDRESSES", "true");
            // Migrate, then declare a tenant and an app straight in the database.
            try (var migrate = ServiceProcess.start(environment, "sync", "--tenant", "acme", "--app", "none")) {
                assertEquals(1, migrate.awaitExit(Duration.ofSeconds(60)), migrate.stderrText());
                assertTrue(migrate.stderrText().contains("No app none"), migrate.stderrText());
            }
            try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
                c.createStatement().execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
                c.createStatement().execute("INSERT INTO tributary.apps (tenant_id, app_key, connector, name, config)"
                        + " VALUES ('acme', 'items', 'http-json', 'Items', '{\"base_url\": \"" + saas.baseUri()
                        + "\", \"pagination\": {\"style\": \"offset\", \"page_size\": 5},"
                        + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]}')");
            }
            try (var sync = ServiceProcess.start(environment, "sync", "--tenant", "acme", "--app", "items",
                    "--mode", "full")) {
                assertEquals(0, sync.awaitExit(Duration.ofSeconds(60)), sync.stderrText());
                assertEquals(3, sync.stderrText().lines().filter(l -> l.matches("items: \\d+ new=.*")).count(),
                        sync.stderrText());
                assertTrue(sync.stdoutText().lines().anyMatch(l -> l.contains(" completed all: total=12 new=12")),
                        sync.stdoutText());
            }
            try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
                var rs = c.createStatement().executeQuery("SELECT (SELECT count(*) FROM tributary.entities),"
                        + " (SELECT count(*) FROM tributary.sync_runs WHERE status = 'completed' AND records_new = 12)");
                rs.next();
                assertEquals(12, rs.getInt(1));
                assertEquals(1, rs.getInt(2), "exactly one run row, completed");
            }
        }
    }

    private static String freshUrl() {
        return TestPostgres.freshDatabase().jdbcUrl();
    }

    private static void assertOneLineFailure(Map<String, String> environment, String named) throws Exception {
        var withCredentials = new java.util.HashMap<>(environment);
        var database = TestPostgres.freshDatabase();
        withCredentials.putIfAbsent("DATASOURCES_DEFAULT_USERNAME", database.username());
        withCredentials.putIfAbsent("DATASOURCES_DEFAULT_PASSWORD", database.password());
        try (var service = ServiceProcess.start(withCredentials)) {
            assertEquals(1, service.awaitExit(Duration.ofSeconds(60)), service.stderrText());
            var stderr = service.stderrText().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, stderr.size(), "expected one line on stderr, got:\n" + service.stderrText());
            assertTrue(stderr.get(0).startsWith("tributary: cannot start: "), stderr.get(0));
            assertTrue(stderr.get(0).contains(named), stderr.get(0));
            assertFalse(service.stdoutText().contains("\tat "), "stack trace on stdout:\n" + service.stdoutText());
        }
    }
}
