package dev.tributary.db;

import dev.tributary.db.entity.EntityRow;
import dev.tributary.db.entity.EntityWriter;
import dev.tributary.db.entity.WriteResult;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class EntityWriterTest {

    private final TestDatabase database = TestPostgres.freshDatabase();
    private final EntityWriter writer = new EntityWriter();
    private final Instant t1 = Instant.parse("2026-11-01T00:00:00Z");
    private final Instant t2 = Instant.parse("2026-11-02T00:00:00Z");

    @BeforeEach
    void migrate() throws SQLException {
        ApplicationContext.run(database.contextProperties()).close();
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            c.createStatement().execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'G')");
        }
    }

    /** The service's own footing: role tributary_app, one tenant named, one transaction. */
    private Connection asTenant(String tenant) throws SQLException {
        Connection c = DriverManager.getConnection(database.jdbcUrl(), database.runtimeUsername(), database.runtimePassword());
        c.setAutoCommit(false);
        c.createStatement().execute("SET ROLE tributary_app");
        c.createStatement().execute("SET search_path = tributary");
        c.createStatement().execute("SELECT set_config('tributary.tenant_id', '" + tenant + "', true)");
        return c;
    }

    private static EntityRow row(String id, String payload, boolean archived) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8));
        return new EntityRow(id, payload, hash, archived ? Instant.parse("2026-10-01T00:00:00Z") : null, null, null);
    }

    private WriteResult write(String tenant, List<EntityRow> rows, Instant at, boolean dryRun) throws SQLException {
        try (Connection c = asTenant(tenant)) {
            WriteResult result = writer.write(c, tenant, "feed", "permits", rows, at, dryRun, 20);
            c.commit();
            return result;
        }
    }

    private List<String> stored(String column) throws SQLException {
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery("SELECT external_id || '=' || coalesce(" + column
                    + "::text, 'null') FROM tributary.entities ORDER BY external_id");
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    @Test
    void countsNewChangedUnchangedAndArchivedAndLeavesUnchangedRowsUntouched() throws Exception {
        var first = write("acme", List.of(row("a", "{\"v\": 1}", false), row("b", "{\"v\": \"say \\\"hi\\\", ok\"}", false),
                row("c", "{\"v\": 3}", true)), t1, false);
        assertEquals(new WriteResult(3, 0, 0, 1, 0, List.of("a", "b", "c"), List.of(), List.of("c")), first);

        var second = write("acme", List.of(row("a", "{\"v\": 1}", false), row("b", "{\"v\": 22}", false),
                row("c", "{\"v\": 3}", false), row("d", "{\"v\": 4}", true)), t2, false);
        assertEquals(1, second.created());
        assertEquals(2, second.updated(), "b changed, c was un-archived");
        assertEquals(1, second.unchanged());
        assertEquals(List.of("d"), second.archivedSample());
        assertEquals(List.of("a=2026-11-01 00:00:00+00", "b=2026-11-02 00:00:00+00", "c=2026-11-02 00:00:00+00",
                "d=2026-11-02 00:00:00+00"), stored("updated_at"), "the unchanged row was not rewritten");
        assertEquals(List.of("a=null", "b=null", "c=null", "d=2026-10-01 00:00:00+00"), stored("archived_at"));
        assertEquals("{\"v\": 22}", stored("raw_payload").get(1).substring(2));
    }

    private static EntityRow at(String id, String payload, Instant sourceUpdatedAt) throws Exception {
        EntityRow row = row(id, payload, false);
        return new EntityRow(id, payload, row.contentHash(), null, null, sourceUpdatedAt);
    }

    @Test
    void anOlderStateNeverOverwritesANewerOneBySourceTime() throws Exception {
        write("acme", List.of(at("a", "{\"v\": 2}", t2), at("b", "{\"v\": 1}", null)), t1, false);
        var late = write("acme", List.of(at("a", "{\"v\": 1}", t1), at("b", "{\"v\": 0}", t1)), t2, false);
        assertEquals(1, late.stale(), "a's stored state is newer");
        assertEquals(1, late.updated(), "b has no source time stored, so the incoming one is applied");
        var newer = write("acme", List.of(at("a", "{\"v\": 3}", t2.plusSeconds(1))), t2, false);
        assertEquals(1, newer.updated());
        assertEquals(List.of("a={\"v\": 3}", "b={\"v\": 0}"), stored("raw_payload"));
    }

    @Test
    void aRemovalDeletesOnlyRowsNotNewerThanIt() throws Exception {
        write("acme", List.of(at("a", "{}", t1), at("b", "{}", t2), at("c", "{}", null)), t1, false);
        try (Connection c = asTenant("acme")) {
            var removals = new java.util.LinkedHashMap<String, Instant>();
            removals.put("a", t1.plusSeconds(1));
            removals.put("b", t1.plusSeconds(1));
            removals.put("c", t1);
            removals.put("gone", t1);
            assertEquals(List.of("a", "c"), writer.remove(c, "acme", "feed", "permits", removals, true).stream()
                    .sorted().toList(), "a dry run finds them");
            assertEquals(3, stored("raw_payload").size(), "and deletes nothing");
            assertEquals(List.of("a", "c"), writer.remove(c, "acme", "feed", "permits", removals, false).stream()
                    .sorted().toList());
            c.commit();
        }
        assertEquals(List.of("b={}"), stored("raw_payload"), "b was written after its deletion");
    }

    @Test
    void archivingMarksRowsAndKeepsTheirPayloadUnlessTheyAreNewer() throws Exception {
        write("acme", List.of(at("a", "{\"v\": 1}", t1), at("b", "{\"v\": 1}", t2)), t1, false);
        try (Connection c = asTenant("acme")) {
            var archivedAt = new java.util.LinkedHashMap<String, Instant>();
            archivedAt.put("a", t1.plusSeconds(1));
            archivedAt.put("b", t1.plusSeconds(1));
            archivedAt.put("absent", t1);
            assertEquals(1, writer.archive(c, "acme", "feed", "permits", archivedAt, t2));
            c.commit();
        }
        assertEquals(List.of("a=2026-11-01 00:00:01+00", "b=null"), stored("archived_at"));
        assertEquals(List.of("a={\"v\": 1}", "b={\"v\": 1}"), stored("raw_payload"));
    }

    @Test
    void aDryRunClassifiesButWritesNothing() throws Exception {
        write("acme", List.of(row("a", "{\"v\": 1}", false)), t1, false);
        var preview = write("acme", List.of(row("a", "{\"v\": 2}", false), row("b", "{}", false)), t2, true);
        assertEquals(new WriteResult(1, 1, 0, 0, 0, List.of("b"), List.of("a"), List.of()), preview);
        assertEquals(List.of("a={\"v\": 1}"), stored("raw_payload"));
    }

    @Test
    void theLastOccurrenceOfAnIdInABatchWinsAndCountsOnce() throws Exception {
        var result = write("acme", List.of(row("a", "{\"v\": 1}", false), row("a", "{\"v\": 2}", false)), t1, false);
        assertEquals(1, result.created());
        assertEquals(List.of("a={\"v\": 2}"), stored("raw_payload"));
    }

    @Test
    void aFreshTargetIsWrittenWithoutLookupsAndARepeatedIdIsStillSettled() throws Exception {
        try (Connection c = asTenant("acme")) {
            var first = writer.writeToFreshTarget(c, "acme", "feed", "permits",
                    List.of(row("a", "{\"v\": 1}", false), row("b", "{\"v\": 2}", true)), t1, 20);
            assertEquals(new WriteResult(2, 0, 0, 1, 0, List.of("a", "b"), List.of(), List.of("b")), first);
            var repeated = writer.writeToFreshTarget(c, "acme", "feed", "permits",
                    List.of(row("a", "{\"v\": 1}", false), row("b", "{\"v\": 3}", true), row("c", "{}", false)), t2, 20);
            assertEquals(new WriteResult(1, 1, 1, 0, 0, List.of("c"), List.of("b"), List.of()), repeated,
                    "a came back unchanged, b changed but was archived already, c is new");
            c.commit();
        }
        assertEquals(List.of("a=null", "b=2026-10-01 00:00:00+00", "c=null"), stored("archived_at"));
        assertEquals("{\"v\": 3}", stored("raw_payload").get(1).substring(2));
    }

    @Test
    void batchesLargerThanOneChunkAreWrittenAndCountedWhole() throws Exception {
        String filler = "x".repeat(1_000);
        List<EntityRow> batch = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // about 600 KB of payloads: several chunks
            batch.add(row("r" + i, "{\"i\": " + i + ", \"f\": \"" + filler + "\"}", false));
        }
        try (Connection c = asTenant("acme")) {
            assertEquals(600, writer.writeToFreshTarget(c, "acme", "feed", "permits", batch, t1, 20).created());
            List<EntityRow> again = new ArrayList<>(batch.subList(0, 300));
            again.set(299, row("r299", "{\"changed\": true, \"f\": \"" + filler + "\"}", false));
            again.add(row("r600", "{\"i\": 600, \"f\": \"" + filler + "\"}", false));
            var repeated = writer.writeToFreshTarget(c, "acme", "feed", "permits", again, t2, 20);
            assertEquals(new WriteResult(1, 1, 299, 0, 0, List.of("r600"), List.of("r299"), List.of()), repeated,
                    "the fallback upsert settles every chunk of the batch");
            c.commit();
        }
        var changed = write("acme", batch.subList(290, 600), t2, false);
        assertEquals(1, changed.updated(), "r299 changes back");
        assertEquals(309, changed.unchanged());
        assertEquals(601, stored("content_hash").size());
    }

    @Test
    void tenantsNeverSeeOrOverwriteEachOthersRows() throws Exception {
        write("acme", List.of(row("a", "{\"owner\": \"acme\"}", false)), t1, false);
        var globex = write("globex", List.of(row("a", "{\"owner\": \"globex\"}", false)), t1, false);
        assertEquals(1, globex.created(), "acme's row is invisible to globex");
        assertEquals(List.of("a={\"owner\": \"acme\"}", "a={\"owner\": \"globex\"}"), stored("raw_payload"));
        assertNotNull(stored("first_seen_at").get(0));
    }
}
