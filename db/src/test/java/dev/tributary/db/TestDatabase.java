package dev.tributary.db;

import java.util.HashMap;
import java.util.Map;

/** A fresh, empty database of the test PostgreSQL server: see {@link TestPostgres}. */
public record TestDatabase(String jdbcUrl, String username, String password) {

    /** Micronaut properties that point the default datasource at this database and migrate it at start-up. */
    public Map<String, String> micronautProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("datasources.default.url", jdbcUrl);
        properties.put("datasources.default.username", username);
        properties.put("datasources.default.password", password);
        properties.put("datasources.default.dialect", "POSTGRES");
        properties.put("datasources.default.schema", "tributary");
        properties.put("flyway.datasources.default.enabled", "true");
        properties.put("flyway.datasources.default.locations", "classpath:db/migration");
        properties.put("flyway.datasources.default.schemas", "tributary");
        properties.put("flyway.datasources.default.create-schemas", "true");
        return properties;
    }

    /** The same properties typed for {@code ApplicationContext.run(Map)}. */
    public Map<String, Object> contextProperties() {
        return new HashMap<>(micronautProperties());
    }
}
