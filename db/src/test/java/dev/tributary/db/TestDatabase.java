package dev.tributary.db;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A fresh, empty database of the test PostgreSQL server. {@code username} is the
 * server's administrator, who migrates the schema (and owns it); the service's pool
 * logs in as {@code runtimeUsername}, a plain login without any privilege of its own.
 */
public record TestDatabase(String jdbcUrl, String username, String password,
                           String runtimeUsername, String runtimePassword) {

    /** Micronaut properties that point the default datasource at this database and migrate it at start-up. */
    public Map<String, String> micronautProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("datasources.default.url", jdbcUrl);
        properties.put("datasources.default.username", runtimeUsername);
        properties.put("datasources.default.password", runtimePassword);
        // Tests seal secrets with a key of their own.
        properties.put("tributary.master-key", "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchIT8=");
        // The same settings as the service's application.yml.
        properties.put("datasources.default.dialect", "POSTGRES");
        properties.put("datasources.default.schema", "tributary");
        properties.put("datasources.default.connection-init-sql", "SET ROLE tributary_app");
        properties.put("datasources.default.initialization-fail-timeout", "-1");
        properties.put("flyway.datasources.default.enabled", "true");
        properties.put("tributary.migration.username", username);
        properties.put("tributary.migration.password", password);
        properties.put("flyway.datasources.default.locations", "classpath:db/migration");
        properties.put("flyway.datasources.default.schemas", "tributary");
        properties.put("flyway.datasources.default.create-schemas", "true");
        return properties;
    }

    /** The same properties typed for {@code ApplicationContext.run(Map)}. */
    public Map<String, Object> contextProperties() {
        return new HashMap<>(micronautProperties());
    }

    /** Runs a statement as the administrator (row-level security does not apply to it). */
    public void execute(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(jdbcUrl, username, password)) {
            c.createStatement().execute(sql);
        }
    }

    /** The first column of the first row, as the administrator sees it; -1 when there is no row. */
    public long queryLong(String sql) throws SQLException {
        String text = queryText(sql);
        return text == null ? -1 : Long.parseLong(text);
    }

    /** The first column of the first row as text, as the administrator sees it; null when there is no row. */
    public String queryText(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(jdbcUrl, username, password)) {
            var rs = c.createStatement().executeQuery(sql);
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
