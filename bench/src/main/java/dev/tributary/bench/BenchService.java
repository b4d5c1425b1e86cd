package dev.tributary.bench;

import dev.tributary.db.EmbeddedPostgresServer;

import java.util.HashMap;
import java.util.Map;

/** The settings the service's application.yml gives, for harnesses that start it without that file. */
final class BenchService {

    private BenchService() {
    }

    static Map<String, Object> properties(EmbeddedPostgresServer postgres, String database) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", postgres.jdbcUrl(database));
        properties.put("datasources.default.username", EmbeddedPostgresServer.SUPERUSER);
        properties.put("datasources.default.password", "");
        properties.put("datasources.default.dialect", "POSTGRES");
        properties.put("datasources.default.schema", "tributary");
        properties.put("datasources.default.connection-init-sql", "SET ROLE tributary_app");
        properties.put("datasources.default.initialization-fail-timeout", "-1");
        properties.put("flyway.datasources.default.enabled", "true");
        properties.put("flyway.datasources.default.locations", "classpath:db/migration");
        properties.put("flyway.datasources.default.schemas", "tributary");
        properties.put("flyway.datasources.default.create-schemas", "true");
        properties.put("tributary.master-key", "YmVuY2htYXJrLW1hc3Rlci1rZXktMzItYnl0ZXMhIT8=");
        properties.put("tributary.scheduler.worker", "false");
        properties.put("tributary.scheduler.threads", "1");
        properties.put("tributary.scheduler.checkin-interval", "7500");
        properties.put("tributary.scheduler.idle-wait", "1s");
        properties.put("tributary.scheduler.lock-retry-delay", "200ms");
        properties.put("tributary.scheduler.retry-base-delay", "1s");
        properties.put("tributary.scheduler.shutdown-timeout", "25s");
        properties.put("tributary.engine.deletion-guard", "0.5");
        properties.put("tributary.engine.rate-limit-waits", "5");
        properties.put("tributary.engine.longest-rate-limit-wait", "2m");
        properties.put("tributary.engine.page-timeout", "5m");
        properties.put("tributary.connectors.json-feed.allow-private-addresses", "true");
        properties.put("tributary.connectors.http-json.allow-private-addresses", "true");
        return properties;
    }
}
