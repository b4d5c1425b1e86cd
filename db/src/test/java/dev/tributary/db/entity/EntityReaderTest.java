package dev.tributary.db.entity;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plans the records API's pages get on a collection of 100,000 rows among others (another
 * collection and another tenant as large): a plain or keyset page walks the primary key and
 * stops at the page's end; a recent {@code modified_after} uses {@code entities_updated}, on
 * every execution of the statement, not only the first five (the page's LIMIT is a parameter,
 * so a plan made without the values would guess a tenth of the rows and cost more than the
 * plans made for them). Plans are read with auto_explain from the statements the reader runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntityReaderTest {

    private static final Instant RECENT = Instant.parse("2026-06-01T00:00:00Z");

    private final TestDatabase database = TestPostgres.freshDatabase();

    @BeforeAll
    void migrateAndLoad() throws SQLException {
        ApplicationContext.run(database.contextProperties()).close();
        // Rows as a sync writes them: a page (5,000 rows) shares its updated_at; every tenth is archived;
        // the collection's last 100 rows were written recently.
        database.execute("""
                INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex');
                INSERT INTO tributary.entities (tenant_id, app_key, collection_key, external_id, raw_payload,
                                                content_hash, archived_at, first_seen_at, last_seen_at, updated_at)
                SELECT t.tenant, 'feed', t.collection, 'P' || lpad(g::text, 6, '0'),
                       jsonb_build_object('id', g, 'name', 'permit ' || g), sha256(g::text::bytea),
                       CASE WHEN g % 10 = 0 THEN '2026-01-01'::timestamptz END, '2026-01-01', '2026-01-01',
                       CASE WHEN t.collection = 'permits' AND t.tenant = 'acme' AND g > 99900 THEN '2026-06-02'::timestamptz
                            ELSE '2026-01-01'::timestamptz + (g / 5000) * interval '1 hour' END
                  FROM (VALUES ('acme', 'permits', 100000), ('acme', 'inspections', 50000),
                               ('globex', 'permits', 50000)) AS t(tenant, collection, n),
                       generate_series(1, t.n) g;
                ANALYZE tributary.entities;""");
    }

    /** The tenant's footing, as the service has it, with auto_explain reporting each plan to this client. */
    private Connection asTenant() throws SQLException {
        return asTenant(database);
    }

    private static Connection asTenant(TestDatabase database) throws SQLException {
        Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        c.createStatement().execute("LOAD 'auto_explain'");
        c.createStatement().execute("SET auto_explain.log_min_duration = 0");
        c.createStatement().execute("SET auto_explain.log_analyze = on");
        c.createStatement().execute("SET auto_explain.log_level = notice");
        c.setAutoCommit(false);
        c.createStatement().execute("SET ROLE tributary_app");
        c.createStatement().execute("SET search_path = tributary");
        c.createStatement().execute("SELECT set_config('tributary.tenant_id', 'acme', true)");
        return c;
    }

    private record Plan(String text, int rows) {
    }

    /** Runs one page's statement as the reader does and returns the plan it ran with. */
    private static Plan run(Connection c, EntityReader.Selection selection, int limit) throws SQLException {
        int rows = 0;
        try (var statement = EntityReader.prepare(c, "", "acme", "feed", "permits", null, selection, limit)) {
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
        }
        return new Plan(reportedPlan(c, "SELECT e.external_id"), rows);
    }

    /** The plan auto_explain reported for the last statement, which began with {@code query}. */
    private static String reportedPlan(Connection c, String query) throws SQLException {
        // Inside a transaction the statement's portal, and so auto_explain's report, ends with the next statement.
        try (var next = c.createStatement()) {
            next.execute("SELECT 1");
            StringBuilder plan = new StringBuilder();
            for (SQLWarning w = next.getWarnings(); w != null; w = w.getNextWarning()) {
                if (w.getMessage().contains(query)) {
                    // without the parameters' values, which for a batch lookup fill pages
                    w.getMessage().lines().filter(line -> !line.startsWith("Query Parameters:"))
                            .forEach(line -> plan.append(line).append('\n'));
                }
            }
            return plan.toString();
        }
    }

    @Test
    void rightAfterABulkLoadTheWritersLookupsByExternalIdDoNotTakeTheUpdatedAtIndex() throws Exception {
        TestDatabase fresh = TestPostgres.freshDatabase();
        ApplicationContext.run(fresh.contextProperties()).close();
        fresh.execute("""
                ALTER TABLE tributary.entities SET (autovacuum_enabled = off);
                INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme');
                INSERT INTO tributary.entities (tenant_id, app_key, collection_key, external_id, raw_payload,
                                                content_hash, updated_at)
                SELECT 'acme', 'feed', 'permits', 'P' || lpad(g::text, 6, '0'), jsonb_build_object('id', g),
                       sha256(g::text::bytea), '2026-01-01'::timestamptz + (g / 5000) * interval '1 hour'
                  FROM generate_series(1, 100000) g;""");
        assertEquals("-1", fresh.queryText("SELECT reltuples::int FROM pg_class WHERE relname = 'entities'"),
                "no statistics yet");
        List<EntityRow> batch = IntStream.rangeClosed(40_001, 45_000).mapToObj(g -> new EntityRow(
                "P" + String.format("%06d", g), "{\"id\": " + g + "}", new byte[32], null, null, null)).toList();
        try (Connection c = asTenant(fresh)) {
            new EntityWriter().write(c, "acme", "feed", "permits", batch, Instant.now(), true, 0);
            String plan = reportedPlan(c, "SELECT external_id, content_hash");
            assertTrue(plan.contains("entities_pkey"), plan);
            assertFalse(plan.contains("entities_updated"), plan);
        }
    }

    private static EntityReader.Selection after(String externalId) {
        return new EntityReader.Selection(externalId, null, true, List.of());
    }

    @Test
    void aKeysetPageIsAnIndexScanOfThePrimaryKeyThatStopsAtThePagesEnd() throws SQLException {
        try (Connection c = asTenant()) {
            for (var selection : List.of(after(null), after("P050000"), after("P099000"),
                    new EntityReader.Selection("P050000", null, false, List.of()))) {
                Plan plan = run(c, selection, 100);
                assertTrue(plan.text().contains("Index Scan using entities_pkey on entities"), plan.text());
                assertFalse(plan.text().contains("Sort") || plan.text().contains("Seq Scan")
                        || plan.text().contains("Bitmap"), plan.text());
                assertEquals(101, plan.rows(), "a page and one more row, to know whether another follows");
                // It reads about as many rows as the page holds, not the collection's 100,000.
                assertTrue(plan.text().matches("(?s).*Index Scan using entities_pkey.*actual time=\\S+ rows=1\\d\\d .*"),
                        plan.text());
            }
            Plan ids = run(c, new EntityReader.Selection(null, null, true,
                    IntStream.rangeClosed(1, 100).mapToObj(i -> "P" + String.format("%06d", i * 7)).toList()), 100);
            assertTrue(ids.text().contains("Index Scan using entities_pkey on entities"), ids.text());
            assertEquals(100, ids.rows());
        }
    }

    @Test
    void aRecentModifiedAfterUsesTheUpdatedAtIndexOnEveryExecution() throws SQLException {
        try (Connection c = asTenant()) {
            List<String> plans = new ArrayList<>();
            // Past the five executions after which PostgreSQL may plan a statement once for all values,
            // first with a modified_after nearly every row passes (a primary-key walk), then a recent one.
            for (int i = 0; i < 10; i++) {
                run(c, new EntityReader.Selection(null, Instant.parse("2026-01-01T00:30:00Z"), true, List.of()), 20);
            }
            for (int i = 0; i < 10; i++) {
                Plan plan = run(c, new EntityReader.Selection(null, RECENT, true, List.of()), 20);
                assertEquals(21, plan.rows());
                plans.add(plan.text());
            }
            for (String plan : plans) {
                assertTrue(plan.contains("entities_updated"), plan);
                assertFalse(plan.contains("Index Scan using entities_pkey"), plan);
            }
        }
    }
}
