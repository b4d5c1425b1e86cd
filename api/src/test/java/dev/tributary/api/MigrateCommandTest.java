package dev.tributary.api;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar tributary.jar migrate} and {@code TRIBUTARY_MIGRATE_ON_START=false}: a deployment step
 * migrates as the schema owner, nodes started after it leave the schema alone.
 */
class MigrateCommandTest {

    private final TestDatabase database = TestPostgres.freshDatabase();

    @Test
    void migrateBringsAnEmptyDatabaseUpToDateAsTheOwnerAndExitsZero() throws Exception {
        try (var migrate = ServiceProcess.start(nodeEnvironment(), "migrate")) {
            assertEquals(0, migrate.awaitExit(Duration.ofSeconds(60)), migrate.stderrText());
            assertTrue(migrate.stdoutText().contains("tributary: schema migrated"), migrate.stdoutText());
        }
        assertTrue(database.queryLong("SELECT count(*) FROM tributary.flyway_schema_history WHERE success") >= 13);
        assertEquals(database.username(), database.queryText(
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'tributary' AND tablename = 'apps'"));
        assertEquals("t", database.queryText("SELECT pg_has_role('" + database.runtimeUsername()
                + "', 'tributary_app', 'MEMBER')"), "the service's login may act as tributary_app");
    }

    @Test
    void nodesWithMigrateOnStartOffLeaveTheSchemaAndConnectorViewsToMigrate() throws Exception {
        Map<String, String> node = new HashMap<>(nodeEnvironment());
        node.put("TRIBUTARY_MIGRATE_ON_START", "false");
        try (var service = ServiceProcess.start(node)) {
            assertEquals(1, service.awaitExit(Duration.ofSeconds(60)), "a node cannot run on an unmigrated database");
        }
        assertEquals(-1, database.queryLong("SELECT 1 FROM pg_tables WHERE schemaname = 'tributary'"
                + " AND tablename = 'flyway_schema_history'"), "the node ran Flyway");

        try (var migrate = ServiceProcess.start(nodeEnvironment(), "migrate")) {
            assertEquals(0, migrate.awaitExit(Duration.ofSeconds(60)), migrate.stderrText());
        }
        // A Stripe app, whose connector's views no one has applied yet.
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
        database.execute("INSERT INTO tributary.apps (tenant_id, app_key, connector, name)"
                + " VALUES ('acme', 'billing', 'stripe', 'Billing')");
        try (var service = ServiceProcess.start(node)) {
            var http = new HttpProbe(service.uri());
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> http.get("/health/readiness").statusCode() == 200);
        }
        assertEquals(0, stripeMigrations(), "a node started with TRIBUTARY_MIGRATE_ON_START=false applied them");

        try (var migrate = ServiceProcess.start(nodeEnvironment(), "migrate")) {
            assertEquals(0, migrate.awaitExit(Duration.ofSeconds(60)), migrate.stderrText());
        }
        assertEquals(1, stripeMigrations(), "migrate applies the migrations of the connectors apps use");
    }

    @Test
    void migrateRefusedByTheDatabaseExitsOneWithOneLineNamingTheProblem() throws Exception {
        Map<String, String> environment = new HashMap<>(nodeEnvironment());
        environment.put("TRIBUTARY_MIGRATION_PASSWORD", "not-the-password");
        if (database.password().isEmpty()) {
            // The embedded server trusts local logins whatever the password: refuse the owner by name instead.
            environment.put("TRIBUTARY_MIGRATION_USERNAME", "no_such_owner");
        }
        try (var migrate = ServiceProcess.start(environment, "migrate")) {
            assertEquals(1, migrate.awaitExit(Duration.ofSeconds(60)), migrate.stderrText());
            var stderr = migrate.stderrText().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, stderr.size(), "expected one line on stderr, got:\n" + migrate.stderrText());
            assertTrue(stderr.get(0).startsWith("tributary: cannot migrate: "), stderr.get(0));
            assertTrue(stderr.get(0).contains("database refused the credentials"), stderr.get(0));
            assertFalse(migrate.stdoutText().contains("\tat "), "stack trace on stdout:\n" + migrate.stdoutText());
        }
        assertEquals(-1, database.queryLong("SELECT 1 FROM pg_tables WHERE schemaname = 'tributary'"
                + " AND tablename = 'flyway_schema_history'"));
    }

    /** How a node is configured in production: its own login for the pool, the owner's for migrations. */
    private Map<String, String> nodeEnvironment() {
        return Map.of(
                "DATASOURCES_DEFAULT_URL", database.jdbcUrl(),
                "DATASOURCES_DEFAULT_USERNAME", database.runtimeUsername(),
                "DATASOURCES_DEFAULT_PASSWORD", database.runtimePassword(),
                "TRIBUTARY_MIGRATION_USERNAME", database.username(),
                "TRIBUTARY_MIGRATION_PASSWORD", database.password());
    }

    private long stripeMigrations() throws Exception {
        return database.queryLong("SELECT count(*) FROM tributary.connector_migrations WHERE connector = 'stripe'");
    }
}
