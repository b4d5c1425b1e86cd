package dev.tributary.db.app;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code apps} table's typed JSON columns, through the repository, on a real PostgreSQL. */
class AppRepositoryTest {

    private final TestDatabase database = TestPostgres.freshDatabase();
    private ApplicationContext context;
    private AppRepository apps;
    private TransactionOperations<Connection> transactions;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @BeforeEach
    @SuppressWarnings("unchecked")
    void start() throws SQLException {
        context = ApplicationContext.run(database.contextProperties());
        apps = context.getBean(AppRepository.class);
        transactions = context.getBean(TransactionOperations.class);
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
    }

    @AfterEach
    void stop() {
        context.close();
    }

    /** Runs {@code work} as the service does: in a transaction scoped to tenant acme (row-level security). */
    private <T> T asAcme(Supplier<T> work) {
        return transactions.executeWrite(status -> {
            try (var statement = status.getConnection().prepareStatement(
                    "SELECT set_config('tributary.tenant_id', 'acme', true)")) {
                statement.execute();
            }
            return work.get();
        });
    }

    private App app(String appKey, Map<String, Object> config, AlertSettings alerts) {
        return new App("acme", appKey, "http-json", "Items", config, null, null, null, null, "incremental", false, 3,
                alerts, now, now);
    }

    @Test
    void configAndAlertsAreStoredAsJsonObjectsAndReadBackAsTheyWere() throws Exception {
        Map<String, Object> config = Map.of("base_url", "https://api.example.com",
                "pagination", Map.of("style", "offset", "page_size", 50),
                "collections", List.of(Map.of("collection_key", "items", "path", "items")),
                "huge", new BigInteger("18446744073709551616"), "ratio", 0.25, "strict", true);
        AlertSettings alerts = new AlertSettings("https://hooks.example.com/t", List.of("ops@example.com"), "c2VhbGVk");
        assertTrue(asAcme(() -> apps.insertIfAbsent(app("items", config, alerts))));

        App read = asAcme(() -> apps.findByTenantIdAndAppKey("acme", "items")).orElseThrow();
        assertEquals(config, read.config());
        assertEquals(alerts, read.alerts());
        assertEquals("object", database.queryText("SELECT jsonb_typeof(config) FROM tributary.apps"));
        assertEquals("50", database.queryText("SELECT config #>> '{pagination,page_size}' FROM tributary.apps"));
        // Snake case whatever the context's naming strategy (this one has none).
        assertEquals("{\"emails\": [\"ops@example.com\"], \"webhook_url\": \"https://hooks.example.com/t\","
                + " \"webhook_secret\": \"c2VhbGVk\"}", database.queryText("SELECT alert_config::text FROM tributary.apps"));
    }

    @Test
    void anUpdateRewritesTheJsonColumnsAndASecondInsertOfOneKeyIsRefused() {
        assertTrue(asAcme(() -> apps.insertIfAbsent(app("items", Map.of("a", 1), AlertSettings.NONE))));
        assertFalse(asAcme(() -> apps.insertIfAbsent(app("items", Map.of("a", 2), AlertSettings.NONE))),
                "the tenant has an app with this key");
        AlertSettings emails = new AlertSettings(null, List.of("a@example.com", "b@example.com"), null);
        asAcme(() -> {
            apps.update(app("items", Map.of("a", 3, "nested", Map.of("b", List.of(1, 2))), emails));
            return null;
        });
        App read = asAcme(() -> apps.findByTenantIdAndAppKey("acme", "items")).orElseThrow();
        assertEquals(Map.of("a", 3, "nested", Map.of("b", List.of(1, 2))), read.config());
        assertEquals(emails, read.alerts());
    }

    @Test
    void aRowWrittenWithTheColumnDefaultsReadsAsNoAlertsAndAnEmptyConfig() throws Exception {
        database.execute("INSERT INTO tributary.apps (tenant_id, app_key, connector, name)"
                + " VALUES ('acme', 'bare', 'json-feed', 'Bare')");
        App read = asAcme(() -> apps.findByTenantIdAndAppKey("acme", "bare")).orElseThrow();
        assertEquals(Map.of(), read.config());
        assertEquals(AlertSettings.NONE, read.alerts());
    }
}
