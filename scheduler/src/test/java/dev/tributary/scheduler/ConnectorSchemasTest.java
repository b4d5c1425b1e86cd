package dev.tributary.scheduler;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Capabilities;
import dev.tributary.connector.CollectionSpec;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorMetadata;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.PageSource;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Connectors' own migrations applied from the folder their metadata names, for the connectors apps use:
 * db's test resources hold a connector "sample" with three migrations (V1, V2, V10).
 */
class ConnectorSchemasTest {

    private final TestDatabase database = TestPostgres.freshDatabase();

    /** A connector whose metadata names db's sample migrations; nothing is ever fetched from it. */
    @Singleton
    @Requires(property = "test.sample-connector", value = "true")
    static class SampleConnector implements Connector {

        @Override
        public ConnectorMetadata metadata() {
            return new ConnectorMetadata("sample", "1", List.of(new CollectionSpec("sample_items", "items")),
                    new Capabilities(false, false, false, false));
        }

        @Override
        public PageSource fetch(AppContext app, FetchRequest request) throws ConnectorException {
            throw new ConnectorException.Rejected("sample connectors fetch nothing");
        }
    }

    private Map<String, Object> node() {
        Map<String, Object> properties = NodeSettings.on(database);
        properties.put("test.sample-connector", "true");
        return properties;
    }

    @Test
    void startUpAppliesTheMigrationsOfConnectorsThatAppsUse() throws Exception {
        ApplicationContext.run(node()).close();
        assertEquals(List.of(), applied(), "no app uses the sample connector yet");
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            c.createStatement().execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
            c.createStatement().execute("INSERT INTO tributary.apps (tenant_id, app_key, connector, name)"
                    + " VALUES ('acme', 'sample-1', 'sample', 'Sample')");
        }
        ApplicationContext.run(node()).close();
        assertEquals(List.of("1", "2", "10"), applied());
    }

    @Test
    void aConnectorsMigrationsRunOnceAndOnlyForConnectorsThisNodeHas() throws Exception {
        try (var context = ApplicationContext.run(node())) {
            var schemas = context.getBean(ConnectorSchemas.class);
            assertEquals(3, schemas.applyFor("sample"));
            assertEquals(0, schemas.applyFor("sample"), "applying twice changes nothing");
            assertEquals(0, schemas.applyFor("no-such-connector"));
        }
        assertEquals(List.of("1", "2", "10"), applied());
    }

    private List<String> applied() throws SQLException {
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery("SELECT version FROM tributary.connector_migrations"
                    + " WHERE connector = 'sample' ORDER BY applied_at, version");
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            return versions;
        }
    }
}
