package dev.tributary.scheduler.engine;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sync engine against a fake API (http-json) and a real PostgreSQL. */
class SyncEngineTest {

    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 23);
    private final TestDatabase database = TestPostgres.freshDatabase();
    private ApplicationContext context;
    private SyncEngine engine;
    private ConnectorRegistry registry;
    private final TenantId acme = new TenantId("acme");

    @BeforeEach
    void start() throws SQLException {
        Map<String, Object> properties = database.contextProperties();
        properties.put("tributary.scheduler.worker", "false");
        properties.put("tributary.scheduler.threads", "1");
        properties.put("tributary.scheduler.checkin-interval", "7500");
        properties.put("tributary.scheduler.idle-wait", "1s");
        properties.put("tributary.scheduler.lock-retry-delay", "200ms");
        properties.put("tributary.scheduler.retry-base-delay", "1s");
        properties.put("tributary.engine.deletion-guard", "0.5");
        properties.put("tributary.engine.rate-limit-waits", "3");
        properties.put("tributary.engine.longest-rate-limit-wait", "10s");
        properties.put("tributary.connectors.http-json.allow-private-addresses", "true");
        context = ApplicationContext.run(properties);
        engine = context.getBean(SyncEngine.class);
        registry = context.getBean(ConnectorRegistry.class);
        owner("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
        owner("INSERT INTO tributary.apps (tenant_id, app_key, connector, name) VALUES ('acme', 'api', 'http-json', 'API')");
    }

    @AfterEach
    void stop() {
        context.close();
        saas.close();
    }

    private AppContext app(Instant syncFrom, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("base_url", saas.baseUri().toString(),
                "pagination", Map.of("style", "offset", "page_size", 5), "updated_at_field", "updated_at",
                "incremental_param", "updated_since",
                "collections", List.of(Map.of("collection_key", "items", "path", "items"))));
        config.putAll(extra);
        return new AppContext("acme", "api", config, Map.of(), syncFrom);
    }

    private SyncOutcome run(SyncRequest.Mode mode, boolean dryRun, boolean force, AppContext app) throws SQLException {
        UUID syncId = UUID.randomUUID();
        owner("INSERT INTO tributary.sync_runs (tenant_id, id, app_key, mode, trigger, status) VALUES ('acme', '"
                + syncId + "', 'api', 'full', 'manual', 'running')");
        return engine.run(syncId, new SyncRequest(acme, "api", null, mode, dryRun, force),
                registry.byProvider("http-json").orElseThrow(), app);
    }

    private SyncOutcome full() throws SQLException {
        return run(SyncRequest.Mode.FULL, false, false, app(null, Map.of()));
    }

    @Test
    void aFullSyncLoadsEverythingAndARepeatLeavesItUntouched() throws Exception {
        var first = assertInstanceOf(SyncOutcome.Completed.class, full());
        assertEquals(new RunCounts(23, 23, 0, 0, 0, 0, 0), first.counts());
        assertEquals(23, count("SELECT count(*) FROM tributary.entities"));
        assertNotNull(value("SELECT last_full_sync_at FROM tributary.sync_state"));
        List<String> before = column("SELECT external_id || updated_at FROM tributary.entities ORDER BY 1");

        var second = assertInstanceOf(SyncOutcome.Completed.class, full());
        assertEquals(new RunCounts(23, 0, 0, 23, 0, 0, 0), second.counts());
        assertEquals(before, column("SELECT external_id || updated_at FROM tributary.entities ORDER BY 1"));
    }

    @Test
    void aFullSyncAppliesChangesAndDeletesWhatTheSourceNoLongerHas() throws Exception {
        full();
        saas.put("items", "item-2", Map.of("name", "renamed", "status", "active"))
                .put("items", "item-99", Map.of("name", "new", "status", "active"))
                .put("items", "item-3", Map.of("name", "item 3", "status", "archived"))
                .remove("items", "item-4");
        var outcome = run(SyncRequest.Mode.FULL, false, false,
                app(null, Map.of("archived_when", Map.of("field", "status", "equals", "archived"))));
        var counts = assertInstanceOf(SyncOutcome.Completed.class, outcome).counts();
        assertEquals(1, counts.created());
        assertEquals(2, counts.updated());
        assertEquals(1, counts.archived());
        assertEquals(1, counts.deleted());
        assertEquals(List.of("item-4"), column("SELECT external_id FROM tributary.sync_records WHERE operation = 'delete'"));
        assertEquals(0, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-4'"));
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE archived_at IS NOT NULL"));
    }

    @Test
    void aRowWrittenAfterThePassBeganIsNeverDeletedByIt() throws Exception {
        full();
        // What a webhook does while a full sync runs: it writes a row the pass will not see.
        owner("INSERT INTO tributary.entities (tenant_id, app_key, collection_key, external_id, raw_payload,"
                + " content_hash, updated_at) VALUES ('acme', 'api', 'items', 'from-webhook', '{}', '\\x00',"
                + " now() + interval '1 hour')");
        saas.remove("items", "item-1");
        var outcome = run(SyncRequest.Mode.FULL, false, false, app(null, Map.of()));
        assertEquals(1, outcome.counts().deleted(), "item-1 only");
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'from-webhook'"));
        assertEquals(0, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-1'"));
    }

    @Test
    void theDeletionGuardStopsMassDeletionsUnlessForced() throws Exception {
        full();
        for (int i = 1; i <= 15; i++) {
            saas.remove("items", "item-" + i);
        }
        var guarded = assertInstanceOf(SyncOutcome.CompletedWithErrors.class, full());
        assertTrue(guarded.message().contains("deletion guard stopped 15 of 23"), guarded.message());
        assertEquals(23, count("SELECT count(*) FROM tributary.entities"));
        var forced = run(SyncRequest.Mode.FULL, false, true, app(null, Map.of()));
        assertEquals(15, forced.counts().deleted());
        assertEquals(8, count("SELECT count(*) FROM tributary.entities"));
    }

    @Test
    void deletionsHappenOnlyInsideTheSyncFromWindow() throws Exception {
        saas.clock(Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC)).put("items", "old",
                Map.of("name", "old", "status", "active"));
        full();
        saas.remove("items", "old").remove("items", "item-1");
        var outcome = run(SyncRequest.Mode.FULL, false, false, app(Instant.parse("2025-01-01T00:00:00Z"), Map.of()));
        assertEquals(1, outcome.counts().deleted());
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'old'"), "outside the window");
    }

    @Test
    void incrementalSyncFetchesOnlyChangesSinceTheLastSuccessAndFallsBackToFullWithoutState() throws Exception {
        var fallback = run(SyncRequest.Mode.INCREMENTAL, false, false, app(null, Map.of()));
        assertEquals(23, fallback.counts().created(), "no state yet: a full sync");
        Instant later = Instant.now().plusSeconds(3600);
        saas.clock(Clock.fixed(later, ZoneOffset.UTC)).put("items", "item-5", Map.of("name", "changed", "status", "active"));
        int before = saas.requestCount();
        var incremental = run(SyncRequest.Mode.INCREMENTAL, false, false, app(null, Map.of()));
        assertEquals(new RunCounts(1, 0, 1, 0, 0, 0, 0), incremental.counts());
        assertTrue(saas.requests().subList(before, saas.requestCount()).stream().allMatch(r -> r.contains("updated_since=")));
    }

    @Test
    void aFailedRunLeavesStateUntouchedAndTheRerunEndsLikeAnUninterruptedOne() throws Exception {
        full();
        Object stateBefore = value("SELECT last_synced_at FROM tributary.sync_state");
        saas.put("items", "item-7", Map.of("name", "seven", "status", "active")).remove("items", "item-8")
                .put("items", "item-50", Map.of("name", "fifty", "status", "active"));
        saas.failAt(3, 400);
        var failed = assertInstanceOf(SyncOutcome.Failed.class, full());
        assertTrue(failed.error().contains("400"), failed.error());
        assertEquals(stateBefore, value("SELECT last_synced_at FROM tributary.sync_state"));
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-8'"), "no deletion yet");

        assertInstanceOf(SyncOutcome.Completed.class, full());
        assertEquals(23, count("SELECT count(*) FROM tributary.entities"));
        assertEquals(0, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-8'"));
        assertTrue(value("SELECT raw_payload::text FROM tributary.entities WHERE external_id = 'item-7'").toString()
                .startsWith("{\"id\": \"item-7\", \"name\": \"seven\""));
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-50'"));
    }

    @Test
    void anInterruptedFirstLoadResumesAsAFirstLoadAndEndsLikeAnUninterruptedOne() throws Exception {
        saas.failAt(3, 503);
        assertInstanceOf(SyncOutcome.RetryLater.class, full());
        long loaded = count("SELECT count(*) FROM tributary.entities");
        assertTrue(loaded > 0 && loaded < 23, "two pages were written: " + loaded);
        assertEquals("true", value("SELECT cursor->>'fresh_target' FROM tributary.sync_state"));
        assertEquals(0, count("SELECT count(*) FROM tributary.sync_seen"), "a first load keeps no seen-set");

        var resumed = assertInstanceOf(SyncOutcome.Completed.class, full());
        assertEquals(23 - loaded, resumed.counts().created());
        assertEquals(23, count("SELECT count(*) FROM tributary.entities"));
        assertNull(value("SELECT cursor FROM tributary.sync_state"));

        saas.remove("items", "item-1");
        assertEquals(1, full().counts().deleted(), "the next full sync is not a first load: it detects deletions");
    }

    @Test
    void aDryRunReportsWouldBeChangesAndWritesNothing() throws Exception {
        full();
        saas.put("items", "item-1", Map.of("name", "changed", "status", "active")).remove("items", "item-2")
                .put("items", "item-77", Map.of("name", "new", "status", "active"));
        List<String> before = column("SELECT external_id || raw_payload::text || updated_at FROM tributary.entities ORDER BY 1");
        Object state = value("SELECT last_synced_at FROM tributary.sync_state");
        var dry = assertInstanceOf(SyncOutcome.Completed.class, run(SyncRequest.Mode.FULL, true, false, app(null, Map.of())));
        assertEquals(new RunCounts(23, 1, 1, 21, 1, 0, 0), dry.counts());
        assertTrue(dry.preview().contains("\"new\":[\"item-77\"]") && dry.preview().contains("\"deleted\":[\"item-2\"]"),
                dry.preview());
        assertEquals(before, column("SELECT external_id || raw_payload::text || updated_at FROM tributary.entities ORDER BY 1"));
        assertEquals(state, value("SELECT last_synced_at FROM tributary.sync_state"));
    }

    @Test
    void recordsThatDoNotNormalizeAreRecordedAndTheRunGoesOn() throws Exception {
        saas.put("items", "nameless", Map.of("status", "active"));
        var outcome = assertInstanceOf(SyncOutcome.CompletedWithErrors.class,
                run(SyncRequest.Mode.FULL, false, false, app(null, Map.of("id_field", "name"))));
        assertEquals(23, outcome.counts().created());
        assertEquals(1, outcome.counts().errors());
        assertEquals(List.of("failed"), column("SELECT status FROM tributary.sync_records WHERE operation = 'fetch'"));
    }

    @Test
    void eachSuccessfulRunLeavesADataQualitySnapshot() throws Exception {
        saas.put("items", "item-1", Map.of("name", "item 1", "status", "active", "note", "only one has a note"));
        full();
        saas.remove("items", "item-2").remove("items", "item-3");
        full();
        List<String> snapshots = column("SELECT metrics::text FROM tributary.data_quality_snapshots ORDER BY id");
        assertEquals(2, snapshots.size());
        String latest = snapshots.get(1);
        assertTrue(latest.contains("\"row_count\": 21") && latest.contains("\"row_count_change\": -2"), latest);
        assertTrue(latest.contains("\"note\": 0.9524") && latest.contains("\"name\": 0.0"), latest);
        assertTrue(latest.contains("\"duplicate_ids_in_source\": 0") && latest.contains("max_source_timestamp"), latest);
        assertEquals(0, count("SELECT count(*) FROM tributary.data_quality_snapshots s WHERE NOT EXISTS"
                + " (SELECT 1 FROM tributary.sync_runs r WHERE r.id = s.sync_id)"));
    }

    @Test
    void aFailingSnapshotDoesNotFailTheRun() throws Exception {
        owner("REVOKE INSERT ON tributary.data_quality_snapshots FROM tributary_app");
        assertInstanceOf(SyncOutcome.Completed.class, full());
        assertEquals(23, count("SELECT count(*) FROM tributary.entities"));
        assertEquals(0, count("SELECT count(*) FROM tributary.data_quality_snapshots"));
    }

    private SyncOutcome targeted(List<String> ids, SyncRequest.Filters filters) throws SQLException {
        UUID syncId = UUID.randomUUID();
        owner("INSERT INTO tributary.sync_runs (tenant_id, id, app_key, mode, trigger, status) VALUES ('acme', '"
                + syncId + "', 'api', 'full', 'manual', 'running')");
        return engine.run(syncId, new SyncRequest(acme, "api", "items", SyncRequest.Mode.FULL, false, false, ids,
                filters), registry.byProvider("http-json").orElseThrow(), app(null, Map.of()));
    }

    @Test
    void aSyncOfIdsRefetchesExactlyThoseRecordsAndNeverDeletes() throws Exception {
        full();
        Object state = value("SELECT last_synced_at FROM tributary.sync_state");
        saas.put("items", "item-5", Map.of("name", "five", "status", "active"))
                .put("items", "item-6", Map.of("name", "six", "status", "active")).remove("items", "item-9");
        int before = saas.requestCount();
        var outcome = assertInstanceOf(SyncOutcome.CompletedWithErrors.class,
                targeted(List.of("item-5", "item-9"), null));
        assertEquals(new RunCounts(2, 0, 1, 0, 0, 0, 1), outcome.counts());
        assertEquals(List.of("GET /items/item-5", "GET /items/item-9"), saas.requests().subList(before, saas.requestCount()));
        assertEquals(23, count("SELECT count(*) FROM tributary.entities"), "item-9 is not deleted by a targeted run");
        assertTrue(value("SELECT raw_payload::text FROM tributary.entities WHERE external_id = 'item-6'").toString()
                .contains("item 6"), "item-6 was not asked for");
        assertEquals(state, value("SELECT last_synced_at FROM tributary.sync_state"));
    }

    @Test
    void filteredRunsApplyOnlyWhatMatchesAndNeverDelete() throws Exception {
        full();
        saas.put("items", "item-1", Map.of("name", "one", "status", "archived"))
                .put("items", "item-2", Map.of("name", "two", "status", "active"));
        for (int i = 10; i <= 23; i++) {
            saas.remove("items", "item-" + i);
        }
        var outcome = assertInstanceOf(SyncOutcome.Completed.class,
                targeted(List.of(), new SyncRequest.Filters(List.of("archived"), null, null)));
        assertEquals(new RunCounts(1, 0, 1, 0, 0, 0, 0), outcome.counts());
        assertTrue(value("SELECT raw_payload::text FROM tributary.entities WHERE external_id = 'item-2'").toString()
                .contains("item 2"), "item-2 did not match the filter");
        assertEquals(23, count("SELECT count(*) FROM tributary.entities"));
        var inRange = targeted(List.of(), new SyncRequest.Filters(List.of(), Instant.now().plusSeconds(3600), null));
        assertEquals(0, inRange.counts().total());
    }

    @Test
    void rateLimitsAreWaitedOutWithinPatience() throws Exception {
        saas.rateLimitNext(2, 0);
        assertEquals(23, assertInstanceOf(SyncOutcome.Completed.class, full()).counts().created());
        saas.rateLimitNext(1, 3600);
        var later = assertInstanceOf(SyncOutcome.RetryLater.class, full());
        assertEquals(java.time.Duration.ofHours(1), later.after());
    }

    private void owner(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            c.createStatement().execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        return Long.parseLong(value(sql).toString());
    }

    private Object value(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery(sql);
            return rs.next() ? rs.getObject(1) : null;
        }
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
