package dev.tributary.db;

import dev.tributary.db.quality.DataQualitySnapshots;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataQualitySnapshotsTest {

    private final TestDatabase database = TestPostgres.freshDatabase();
    private final DataQualitySnapshots snapshots = new DataQualitySnapshots();

    @BeforeEach
    void migrate() throws SQLException {
        ApplicationContext.run(database.contextProperties()).close();
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
        database.execute("INSERT INTO tributary.apps (tenant_id, app_key, connector, name) VALUES ('acme', 'feed', 'json-feed', 'Feed')");
    }

    /** Rows whose "sometimes" field is null in every other row, "always" never, "never" always. */
    private void rows(String collection, int count) throws SQLException {
        database.execute("INSERT INTO tributary.entities (tenant_id, app_key, collection_key, external_id, raw_payload, content_hash)"
                + " SELECT 'acme', 'feed', '" + collection + "', i::text, jsonb_build_object('always', i,"
                + " 'sometimes', CASE WHEN i % 2 = 0 THEN i END, 'never', null), '\\x00'"
                + " FROM generate_series(1, " + count + ") i");
    }

    /** The snapshot's metrics, read back by JSON path, e.g. {@code {null_rate,sometimes}}. */
    private record Metrics(String json, TestDatabase database) {
        double get(String path) throws SQLException {
            try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
                 var s = c.prepareStatement("SELECT (?::jsonb #>> ?::text[])::float8")) {
                s.setString(1, json);
                s.setString(2, path);
                var rs = s.executeQuery();
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    private Metrics capture(String collection) throws Exception {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.runtimeUsername(),
                database.runtimePassword())) {
            c.setAutoCommit(false);
            c.createStatement().execute("SET ROLE tributary_app");
            c.createStatement().execute("SET search_path = tributary");
            c.createStatement().execute("SELECT set_config('tributary.tenant_id', 'acme', true)");
            String metrics = snapshots.capture(c, "acme", "feed", collection, UUID.randomUUID(), 0);
            c.commit();
            return new Metrics(metrics, database);
        }
    }

    @Test
    void smallCollectionsGetExactNullRates() throws Exception {
        rows("small", 1_000);
        Metrics metrics = capture("small");
        assertEquals(1_000, (long) metrics.get("{row_count}"));
        assertEquals(1_000, (long) metrics.get("{null_rate_sample}"));
        assertEquals(0.5, metrics.get("{null_rate,sometimes}"));
        assertEquals(0.0, metrics.get("{null_rate,always}"));
        assertEquals(1.0, metrics.get("{null_rate,never}"));
    }

    @Test
    void largeCollectionsGetNullRatesFromARandomSampleOfRows() throws Exception {
        int rows = 4 * DataQualitySnapshots.NULL_RATE_SAMPLE;
        rows("large", rows);
        Metrics metrics = capture("large");
        assertEquals(rows, (long) metrics.get("{row_count}"));
        long sample = (long) metrics.get("{null_rate_sample}");
        assertTrue(sample > DataQualitySnapshots.NULL_RATE_SAMPLE * 0.9 && sample < DataQualitySnapshots.NULL_RATE_SAMPLE * 1.1,
                "about " + DataQualitySnapshots.NULL_RATE_SAMPLE + " rows drawn one by one, not all or none: " + sample);
        double sometimes = metrics.get("{null_rate,sometimes}");
        assertTrue(sometimes > 0.45 && sometimes < 0.55, "half the rows lack it: " + sometimes);
        assertEquals(0.0, metrics.get("{null_rate,always}"));
        assertEquals(1.0, metrics.get("{null_rate,never}"));
    }
}
