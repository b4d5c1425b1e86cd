package dev.tributary.db;

import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationsTest {

    private static final List<String> TENANT_TABLES = List.of("api_keys", "apps", "entities", "sync_state", "sync_runs",
            "sync_records", "sync_locks", "idempotency_keys", "webhook_events", "data_quality_snapshots", "sync_seen",
            "sync_list_schedule");
    /** Tables whose rows belong to an owner within the tenant (seed 004's per-user rows). */
    private static final List<String> OWNED_TABLES = List.of("saved_filters", "sync_list_items");

    private static TestDatabase database;

    @BeforeAll
    static void migrateOnce() {
        database = TestPostgres.freshDatabase();
        try (var context = ApplicationContext.run(migratingProperties())) {
            assertEquals(0, flyway(context).info().pending().length);
        }
    }

    /** micronaut-flyway registers the configuration once per way it can reach the database; any will do. */
    private static Flyway flyway(ApplicationContext context) {
        return context.getBeansOfType(Flyway.class).iterator().next();
    }

    private static Map<String, Object> migratingProperties() {
        return database.contextProperties();
    }

    @Test
    void migrationsCreateEveryCoreAndQuartzTable() throws SQLException {
        List<String> tables = query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'tributary'");
        for (String table : List.of("tenants", "api_keys", "apps", "entities", "sync_state", "sync_runs", "sync_records",
                "sync_locks", "idempotency_keys", "webhook_events", "data_quality_snapshots",
                "qrtz_job_details", "qrtz_triggers", "qrtz_cron_triggers", "qrtz_simple_triggers",
                "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks")) {
            assertTrue(tables.contains(table), "missing table " + table);
        }
    }

    @Test
    void secondStartHasNothingToMigrate() throws SQLException {
        int applied = query("SELECT version FROM tributary.flyway_schema_history WHERE success").size();
        try (var context = ApplicationContext.run(migratingProperties())) {
            var flyway = flyway(context);
            assertEquals(0, flyway.migrate().migrationsExecuted);
            assertEquals(0, flyway.info().pending().length);
        }
        assertEquals(applied, query("SELECT version FROM tributary.flyway_schema_history WHERE success").size());
    }

    @Test
    void everyTenantTableHasRowLevelSecurity() throws SQLException {
        List<String> secured = query("SELECT tablename FROM pg_policies WHERE schemaname = 'tributary'"
                + " AND policyname = 'tenant_isolation'");
        assertEquals(TENANT_TABLES.stream().sorted().toList(), secured.stream().sorted().toList());
        List<String> owned = query("SELECT tablename FROM pg_policies WHERE schemaname = 'tributary'"
                + " AND policyname = 'owner_isolation'");
        assertEquals(OWNED_TABLES, owned.stream().sorted().toList());
    }

    @Test
    void theServiceRunsAsARoleThatCannotBypassRowLevelSecurity() throws SQLException {
        try (var context = ApplicationContext.run(migratingProperties());
             Connection c = context.getBean(DataSourceResolver.class)
                     .resolve(context.getBean(DataSource.class)).getConnection();
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT current_user, r.rolsuper, r.rolbypassrls,"
                    + " (SELECT count(*) FROM pg_tables WHERE schemaname = 'tributary' AND tableowner = current_user)"
                    + " FROM pg_roles r WHERE r.rolname = current_user");
            rs.next();
            assertEquals("tributary_app", rs.getString(1));
            assertEquals(false, rs.getBoolean(2), "superuser");
            assertEquals(false, rs.getBoolean(3), "bypassrls");
            assertEquals(0, rs.getInt(4), "owns tables");
        }
    }

    @Test
    void nonOwnerRoleSeesOnlyTheTenantItsTransactionNames() throws SQLException {
        try (Connection owner = connect(database.username(), database.password()); Statement s = owner.createStatement()) {
            s.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex')");
            s.execute("INSERT INTO tributary.apps (tenant_id, app_key, connector, name) VALUES"
                    + " ('acme', 'billing', 'stripe', 'Billing'), ('globex', 'billing', 'stripe', 'Billing')");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rls_probe') THEN"
                    + " CREATE ROLE rls_probe LOGIN PASSWORD 'probe' NOBYPASSRLS; END IF; END $$");
            s.execute("GRANT USAGE ON SCHEMA tributary TO rls_probe");
            s.execute("GRANT SELECT, INSERT ON tributary.apps TO rls_probe");
        }
        try (Connection app = connect("rls_probe", "probe"); Statement s = app.createStatement()) {
            app.setAutoCommit(false);
            assertEquals(List.of(), column(s.executeQuery("SELECT tenant_id FROM tributary.apps")));
            s.execute("SET LOCAL tributary.tenant_id = 'acme'");
            assertEquals(List.of("acme"), column(s.executeQuery("SELECT tenant_id FROM tributary.apps")));
            var refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> s.execute(
                    "INSERT INTO tributary.apps (tenant_id, app_key, connector, name) VALUES ('globex', 'x', 'stripe', 'X')"));
            assertTrue(refused.getMessage().contains("row-level security"), refused.getMessage());
            app.rollback();
        }
    }

    private static Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), user, password);
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection c = connect(database.username(), database.password()); Statement s = c.createStatement()) {
            return column(s.executeQuery(sql));
        }
    }

    private static List<String> column(ResultSet rs) throws SQLException {
        List<String> values = new ArrayList<>();
        while (rs.next()) {
            values.add(rs.getString(1));
        }
        return values;
    }
}
