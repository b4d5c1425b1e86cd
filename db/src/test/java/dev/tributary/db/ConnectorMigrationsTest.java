package dev.tributary.db;

import dev.tributary.db.connector.ConnectorMigrations;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectorMigrationsTest {

    private static final ConnectorMigrations.Location SAMPLE =
            new ConnectorMigrations.Location("sample", "connectors/sample/migrations");

    private final TestDatabase database = TestPostgres.freshDatabase();

    @Test
    void appliesInNumericOrderOnceAndOnlyForConnectorsInUse() throws Exception {
        try (var context = ApplicationContext.run(database.contextProperties())) {
            assertEquals(List.of(), applied(), "no app uses the sample connector yet");
            var migrations = context.getBean(ConnectorMigrations.class);
            assertEquals(3, migrations.applyFor(SAMPLE));
            assertEquals(List.of("1", "2", "10"), applied());
            assertEquals(0, migrations.applyFor(SAMPLE), "applying twice changes nothing");
            assertEquals(0, migrations.applyFor(new ConnectorMigrations.Location("no-such-connector",
                    "connectors/no-such-connector/migrations")));
        }
        assertTrue(viewColumns().contains("archived_at"), "V10 ran after V2, replacing V1's view");
    }

    @Test
    void readsWhichConnectorsAppsUse() throws Exception {
        try (var context = ApplicationContext.run(database.contextProperties())) {
            var migrations = context.getBean(ConnectorMigrations.class);
            assertEquals(List.of(), migrations.connectorsInUse());
            try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
                c.createStatement().execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
                c.createStatement().execute("INSERT INTO tributary.apps (tenant_id, app_key, connector, name)"
                        + " VALUES ('acme', 'sample-1', 'sample', 'Sample'), ('acme', 'sample-2', 'sample', 'Sample')");
            }
            assertEquals(List.of("sample"), migrations.connectorsInUse(), "every tenant's apps, each connector once");
        }
    }

    @Test
    void assemblesOneCommentedScriptInOrder() {
        String script = ConnectorMigrations.assemble(List.of(SAMPLE));
        assertTrue(script.startsWith("-- Tributary connector migrations for: sample"));
        int v1 = script.indexOf("-- sample · V1__sample_view.sql");
        int v2 = script.indexOf("-- sample · V2__sample_index.sql");
        int v10 = script.indexOf("-- sample · V10__sample_view_archived.sql");
        assertTrue(v1 > 0 && v1 < v2 && v2 < v10, script);
        assertTrue(!script.contains("not a migration"));
        assertThrows(IllegalArgumentException.class, () -> ConnectorMigrations.assemble(
                List.of(new ConnectorMigrations.Location("nope", "connectors/nope/migrations"))));
    }

    private List<String> applied() throws SQLException {
        return column("SELECT version FROM tributary.connector_migrations WHERE connector = 'sample' ORDER BY applied_at, version");
    }

    private List<String> viewColumns() throws SQLException {
        return column("SELECT column_name FROM information_schema.columns WHERE table_name = 'sample_entities'");
    }

    private List<String> column(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery(sql);
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
