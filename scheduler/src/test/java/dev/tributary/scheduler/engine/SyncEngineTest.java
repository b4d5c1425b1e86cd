package dev.tributary.scheduler.engine;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Capabilities;
import dev.tributary.connector.CollectionSpec;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorMetadata;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.json.CanonicalJson;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.run.RunCounts;
import dev.tributary.db.run.RunFilters;
import dev.tributary.db.run.RunMode;
import dev.tributary.scheduler.NodeSettings;
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
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sync engine against a fake API (http-json) and a real PostgreSQL. */
class SyncEngineTest {

    /** The progress watchdog's limit here: far above what a page from a local fake takes. */
    private static final String PAGE_TIMEOUT = "3s";

    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 23);
    private final TestDatabase database = TestPostgres.freshDatabase();
    private ApplicationContext context;
    private SyncEngine engine;
    private ConnectorRegistry registry;
    private final TenantId acme = new TenantId("acme");

    @BeforeEach
    void start() throws SQLException {
        Map<String, Object> properties = NodeSettings.on(database);
        properties.put("tributary.engine.page-timeout", PAGE_TIMEOUT);
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

    private SyncOutcome run(RunMode mode, boolean dryRun, boolean force, AppContext app) throws SQLException {
        return engine.run(newRun(), new SyncRequest(acme, "api", null, mode, dryRun, force),
                registry.byProvider("http-json").orElseThrow(), app);
    }

    /** A running run's row, as the run layer would have written it; returns its id. */
    private UUID newRun() throws SQLException {
        UUID syncId = UUID.randomUUID();
        owner("INSERT INTO tributary.sync_runs (tenant_id, id, app_key, mode, trigger, status) VALUES ('acme', '"
                + syncId + "', 'api', 'full', 'manual', 'running')");
        return syncId;
    }

    private SyncOutcome fullWith(AppContext app, SyncEngine.Progress progress) throws SQLException {
        return engine.run(newRun(), new SyncRequest(acme, "api", null, RunMode.FULL, false, false),
                registry.byProvider("http-json").orElseThrow(), app, progress);
    }

    private SyncOutcome full() throws SQLException {
        return run(RunMode.FULL, false, false, app(null, Map.of()));
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
        var outcome = run(RunMode.FULL, false, false,
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
        var outcome = run(RunMode.FULL, false, false, app(null, Map.of()));
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
        var forced = run(RunMode.FULL, false, true, app(null, Map.of()));
        assertEquals(15, forced.counts().deleted());
        assertEquals(8, count("SELECT count(*) FROM tributary.entities"));
    }

    @Test
    void deletionsHappenOnlyInsideTheSyncFromWindow() throws Exception {
        saas.clock(Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC)).put("items", "old",
                Map.of("name", "old", "status", "active"));
        full();
        saas.remove("items", "old").remove("items", "item-1");
        var outcome = run(RunMode.FULL, false, false, app(Instant.parse("2025-01-01T00:00:00Z"), Map.of()));
        assertEquals(1, outcome.counts().deleted());
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'old'"), "outside the window");
    }

    @Test
    void incrementalSyncFetchesOnlyChangesSinceTheLastSuccessAndFallsBackToFullWithoutState() throws Exception {
        var fallback = run(RunMode.INCREMENTAL, false, false, app(null, Map.of()));
        assertEquals(23, fallback.counts().created(), "no state yet: a full sync");
        Instant later = Instant.now().plusSeconds(3600);
        saas.clock(Clock.fixed(later, ZoneOffset.UTC)).put("items", "item-5", Map.of("name", "changed", "status", "active"));
        int before = saas.requestCount();
        var incremental = run(RunMode.INCREMENTAL, false, false, app(null, Map.of()));
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
        var dry = assertInstanceOf(SyncOutcome.Completed.class, run(RunMode.FULL, true, false, app(null, Map.of())));
        assertEquals(new RunCounts(23, 1, 1, 21, 1, 0, 0), dry.counts());
        assertEquals(List.of("item-77"), dry.preview().samples().get("items").get("new"), dry.preview().toString());
        assertEquals(List.of("item-2"), dry.preview().samples().get("items").get("deleted"), dry.preview().toString());
        assertEquals(before, column("SELECT external_id || raw_payload::text || updated_at FROM tributary.entities ORDER BY 1"));
        assertEquals(state, value("SELECT last_synced_at FROM tributary.sync_state"));
        assertEquals(1, count("SELECT count(*) FROM tributary.sync_runs WHERE records_total > 0"),
                "only the first sync's row has counts: a dry run's pages add nothing (its counts are set when it ends)");
    }

    @Test
    void recordsThatDoNotNormalizeAreRecordedAndTheRunGoesOn() throws Exception {
        saas.put("items", "nameless", Map.of("status", "active"));
        var outcome = assertInstanceOf(SyncOutcome.CompletedWithErrors.class,
                run(RunMode.FULL, false, false, app(null, Map.of("id_field", "name"))));
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

    private SyncOutcome targeted(List<String> ids, RunFilters filters) throws SQLException {
        UUID syncId = UUID.randomUUID();
        owner("INSERT INTO tributary.sync_runs (tenant_id, id, app_key, mode, trigger, status) VALUES ('acme', '"
                + syncId + "', 'api', 'full', 'manual', 'running')");
        return engine.run(syncId, new SyncRequest(acme, "api", "items", RunMode.FULL, false, false, ids,
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
                .put("items", "item-2", Map.of("name", "two", "status", "active"))
                .put("items", "item-3", Map.of("name", "three, with no status at all"));
        for (int i = 10; i <= 23; i++) {
            saas.remove("items", "item-" + i);
        }
        var outcome = assertInstanceOf(SyncOutcome.Completed.class,
                targeted(List.of(), new RunFilters(List.of("archived"), null, null)));
        assertEquals(new RunCounts(1, 0, 1, 0, 0, 0, 0), outcome.counts());
        assertTrue(value("SELECT raw_payload::text FROM tributary.entities WHERE external_id = 'item-2'").toString()
                .contains("item 2"), "item-2 did not match the filter");
        assertTrue(value("SELECT raw_payload::text FROM tributary.entities WHERE external_id = 'item-3'").toString()
                .contains("item 3"), "item-3, without a status, did not match the filter either");
        assertEquals(23, count("SELECT count(*) FROM tributary.entities"));
        var inRange = targeted(List.of(), new RunFilters(List.of(), Instant.now().plusSeconds(3600), null));
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

    // --- no deletion of what the source still has ----------------------------------------

    @Test
    void aRecordWhoseNewVersionFailsIsNotDeletedByAFullSync() throws Exception {
        full();
        saas.put("items", "item-5", Map.of("name", "five", "status", "active", "updated_at", "not a time"))
                .remove("items", "item-6");
        var outcome = assertInstanceOf(SyncOutcome.CompletedWithErrors.class, full());
        assertEquals(1, outcome.counts().errors());
        assertEquals(1, outcome.counts().deleted(), "item-6 only");
        assertTrue(value("SELECT raw_payload::text FROM tributary.entities WHERE external_id = 'item-5'").toString()
                .contains("item 5"), "the stored version stays");
        assertEquals(0, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-6'"));
    }

    @Test
    void aPassThatMeetsAFailureWithoutAnIdDeletesNothingAndSaysSo() throws Exception {
        AppContext byName = app(null, Map.of("id_field", "name"));
        run(RunMode.FULL, false, false, byName);
        saas.remove("items", "item-3").put("items", "nameless", Map.of("status", "active"));
        UUID syncId = newRun();
        var outcome = assertInstanceOf(SyncOutcome.CompletedWithErrors.class, engine.run(syncId,
                new SyncRequest(acme, "api", null, RunMode.FULL, false, false),
                registry.byProvider("http-json").orElseThrow(), byName));
        assertEquals(1, outcome.counts().errors());
        assertEquals(0, outcome.counts().deleted());
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item 3'"));
        assertTrue(value("SELECT notes::text FROM tributary.sync_runs WHERE id = '" + syncId + "'").toString()
                .contains("items: deleted nothing: records failed without an id"));
    }

    @Test
    void aResumedPassRemembersAFailureWithoutAnIdMetBeforeItStopped() throws Exception {
        AppContext byName = app(null, Map.of("id_field", "name"));
        run(RunMode.FULL, false, false, byName);
        // The nameless record comes first, so only the interrupted attempt meets it.
        for (int i = 1; i <= 23; i++) {
            saas.remove("items", "item-" + i);
        }
        saas.put("items", "nameless", Map.of("status", "active")).putMany("items", "item", 23).remove("items", "item-4");
        saas.failAt(2, 503);
        assertInstanceOf(SyncOutcome.RetryLater.class, run(RunMode.FULL, false, false, byName));
        assertEquals("true", value("SELECT cursor->>'unidentified_failures' FROM tributary.sync_state"));

        var resumed = run(RunMode.FULL, false, false, byName);
        assertEquals(0, resumed.counts().deleted());
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item 4'"));
    }

    @Test
    void aPassCutShortByACancelDeletesNothing() throws Exception {
        full();
        saas.remove("items", "item-2");
        var cancelled = fullWith(app(null, Map.of()), new SyncEngine.Progress() {
            @Override
            public void afterPage(String collection, RunCounts soFar) {
            }

            @Override
            public boolean cancelled() {
                return true;
            }
        });
        assertInstanceOf(SyncOutcome.Cancelled.class, cancelled);
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-2'"));

        assertEquals(1, full().counts().deleted(), "the next full sync, resuming the pass, reads it all and deletes");
        assertEquals(0, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-2'"));
    }

    @Test
    void aPassCutShortByADatabaseErrorDeletesNothing() throws Exception {
        full();
        saas.remove("items", "item-8").put("items", "item-12", Map.of("name", "twelve", "status", "active"));
        owner("CREATE FUNCTION tributary.refuse_item_12() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.external_id = 'item-12' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$");
        owner("CREATE TRIGGER refuse_item_12 BEFORE INSERT OR UPDATE ON tributary.entities FOR EACH ROW"
                + " EXECUTE FUNCTION tributary.refuse_item_12()");
        var failed = assertInstanceOf(SyncOutcome.RetryLater.class, full());
        assertEquals("items: database error", failed.error());
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-8'"));

        owner("DROP TRIGGER refuse_item_12 ON tributary.entities");
        assertEquals(1, full().counts().deleted());
        assertEquals(0, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-8'"));
    }

    @Test
    void anAttemptThatLostItsLockStopsBeforeWritingAgainAndDeletesNothing() throws Exception {
        full();
        saas.remove("items", "item-20");
        UUID syncId = newRun();
        int[] asked = {0};
        var stopped = assertInstanceOf(SyncOutcome.RetryLater.class, engine.run(syncId,
                new SyncRequest(acme, "api", null, RunMode.FULL, false, false),
                registry.byProvider("http-json").orElseThrow(), app(null, Map.of()), new SyncEngine.Progress() {
                    @Override
                    public void afterPage(String collection, RunCounts soFar) {
                    }

                    @Override
                    public boolean lockLost() {
                        return ++asked[0] > 1; // lost after the first page was written
                    }
                }));
        assertTrue(stopped.error().startsWith("items: lost the target's lock"), stopped.error());
        assertEquals(5, count("SELECT records_total FROM tributary.sync_runs WHERE id = '" + syncId + "'"));
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'item-20'"));
    }

    // --- counts cover every attempt -------------------------------------------------------

    @Test
    void eachPageAddsItsCountsToTheRunSoAResumedAttemptAddsToTheEarlierOnes() throws Exception {
        UUID syncId = newRun();
        var request = new SyncRequest(acme, "api", null, RunMode.FULL, false, false);
        saas.failAt(3, 503);
        var first = assertInstanceOf(SyncOutcome.RetryLater.class,
                engine.run(syncId, request, registry.byProvider("http-json").orElseThrow(), app(null, Map.of())));
        assertEquals(10, first.counts().created());
        assertEquals(10, count("SELECT records_new FROM tributary.sync_runs WHERE id = '" + syncId + "'"));

        var second = engine.run(syncId, request, registry.byProvider("http-json").orElseThrow(), app(null, Map.of()));
        assertEquals(13, second.counts().created(), "this attempt's own work");
        assertEquals("23 23 0", value("SELECT records_total || ' ' || records_new || ' ' || records_errors"
                + " FROM tributary.sync_runs WHERE id = '" + syncId + "'"));
    }

    // --- sync_from ------------------------------------------------------------------------

    @Test
    void recordsChangedBeforeSyncFromAreLeftOutWhenTheSourceCannotFilterAndTheIncrementalTimeStays()
            throws Exception {
        Instant syncFrom = Instant.parse("2025-01-01T00:00:00Z");
        saas.clock(Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC))
                .put("items", "old", Map.of("name", "old", "status", "active"));
        UUID syncId = newRun();
        var outcome = assertInstanceOf(SyncOutcome.Completed.class, engine.run(syncId,
                new SyncRequest(acme, "api", null, RunMode.FULL, false, false),
                registry.byProvider("http-json").orElseThrow(), app(syncFrom, Map.of())));
        assertEquals(new RunCounts(23, 23, 0, 0, 0, 0, 0), outcome.counts(), "left out, and not counted");
        assertEquals(0, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'old'"));
        assertTrue(value("SELECT notes::text FROM tributary.sync_runs WHERE id = '" + syncId + "'").toString()
                .contains("items: left out 1 records created before sync_from (2025-01-01T00:00:00Z)"));

        Instant lastSynced = ((java.sql.Timestamp) value("SELECT last_synced_at FROM tributary.sync_state")).toInstant();
        int before = saas.requestCount();
        run(RunMode.INCREMENTAL, false, false, app(syncFrom, Map.of()));
        assertTrue(saas.requests().get(before).contains("updated_since=" + java.net.URLEncoder.encode(
                lastSynced.toString(), java.nio.charset.StandardCharsets.UTF_8)), saas.requests().get(before));
    }

    @Test
    void syncFromLeavesOutWhatWasCreatedBeforeItByCreationTimeElseByLastChange() throws Exception {
        Instant syncFrom = Instant.parse("2025-01-01T00:00:00Z");
        Instant before = Instant.parse("2024-06-01T00:00:00Z");
        Instant after = Instant.parse("2025-06-01T00:00:00Z");
        var source = scripted(() -> new Page("items", List.of(
                entity("created-before", before, after),
                entity("created-after", after, after),
                entity("changed-before", null, before),
                entity("changed-after", null, after),
                entity("no-times", null, null)), List.of(), null));
        UUID syncId = newRun();
        var outcome = engine.run(syncId, new SyncRequest(acme, "api", null, RunMode.FULL, false, false),
                source, new AppContext("acme", "api", Map.of(), Map.of(), syncFrom));
        assertEquals(3, outcome.counts().created());
        assertEquals(List.of("changed-after", "created-after", "no-times"),
                column("SELECT external_id FROM tributary.entities ORDER BY 1"));
    }

    @Test
    void aStoredRecordTheSourceStillHasIsNotDeletedForLyingBeforeSyncFrom() throws Exception {
        Instant before = Instant.parse("2024-06-01T00:00:00Z");
        Instant after = Instant.parse("2025-06-01T00:00:00Z");
        // Stored without source times (first seen now, so inside any window), later given a creation time.
        engine.run(newRun(), new SyncRequest(acme, "api", null, RunMode.FULL, false, false),
                scripted(() -> new Page("items", List.of(entity("kept", null, null), entity("other", after, after)),
                        List.of(), null)), new AppContext("acme", "api", Map.of(), Map.of(), null));
        var outcome = engine.run(newRun(), new SyncRequest(acme, "api", null, RunMode.FULL, false, true),
                scripted(() -> new Page("items", List.of(entity("kept", before, after), entity("other", after, after)),
                        List.of(), null)),
                new AppContext("acme", "api", Map.of(), Map.of(), Instant.parse("2025-01-01T00:00:00Z")));
        assertEquals(0, outcome.counts().deleted(), "left out, not gone");
        assertEquals(2, count("SELECT count(*) FROM tributary.entities"));
    }

    // --- a run never hangs, and every error says what failed -------------------------------

    @Test
    void aSourceThatStallsFailsTheAttemptRetriablyNamingThePageTimeout() throws Exception {
        var stall = new java.util.concurrent.CountDownLatch(1);
        var source = scripted(() -> new Page("items", List.of(entity("first", null, null)), List.of(), "1"),
                () -> {
                    stall.await(); // a read that never comes back
                    return new Page("items", List.of(), List.of(), null);
                });
        try {
            var outcome = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> engine.run(newRun(),
                    new SyncRequest(acme, "api", null, RunMode.FULL, false, false), source,
                    new AppContext("acme", "api", Map.of(), Map.of(), null)));
            var retry = assertInstanceOf(SyncOutcome.RetryLater.class, outcome);
            assertEquals("items: no page from the source within " + PAGE_TIMEOUT + " (tributary.engine.page-timeout)",
                    retry.error());
            assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'first'"));
        } finally {
            stall.countDown();
        }
    }

    @Test
    void aConnectorErrorWithoutAMessageIsDescribedByItsTypeAndCause() throws Exception {
        var source = scripted(() -> {
            throw new ConnectorException.Transient(null, new java.net.SocketTimeoutException());
        });
        var outcome = assertInstanceOf(SyncOutcome.RetryLater.class, engine.run(newRun(),
                new SyncRequest(acme, "api", null, RunMode.FULL, false, false), source,
                new AppContext("acme", "api", Map.of(), Map.of(), null)));
        assertEquals("items: a connector failed: SocketTimeoutException",
                outcome.error());
    }

    @Test
    void aSourcesOwnSqlFailureIsAnInternalErrorNotADatabaseError() throws Exception {
        // A source reading another database fails with that database's SQLException: not ours.
        var source = scripted(() -> new Page("items", List.of(entity("first", null, null)), List.of(), "1"), () -> {
            throw new SQLException("relation \"orders\" does not exist", "42P01");
        });
        var outcome = assertInstanceOf(SyncOutcome.RetryLater.class, engine.run(newRun(),
                new SyncRequest(acme, "api", null, RunMode.FULL, false, false), source,
                new AppContext("acme", "api", Map.of(), Map.of(), null)));
        assertEquals("items: internal error (IllegalStateException); the node's log has the details", outcome.error());
        assertEquals(1, count("SELECT count(*) FROM tributary.entities WHERE external_id = 'first'"),
                "the page before the failure was written");
    }

    /** One step of a scripted fetch: the next page, or a failure, or a wait. */
    private interface Step {
        Page next() throws Exception;
    }

    /** A connector of one collection, {@code items}, whose fetch yields the steps' pages in order. */
    private static Connector scripted(Step... steps) {
        return new Connector() {
            @Override
            public ConnectorMetadata metadata() {
                return new ConnectorMetadata("scripted", "1", List.of(new CollectionSpec("items", "items")),
                        new Capabilities(false, false, false, false));
            }

            @Override
            public PageSource fetch(AppContext app, FetchRequest request) {
                var next = List.of(steps).iterator();
                return () -> {
                    if (!next.hasNext()) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.of(next.next().next());
                    } catch (ConnectorException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
            }
        };
    }

    private static NormalizedEntity entity(String id, Instant created, Instant updated) {
        try {
            return NormalizedEntity.of(id, "items", CanonicalJson.parse("{\"id\": \"" + id + "\"}"), null, created,
                    updated);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
