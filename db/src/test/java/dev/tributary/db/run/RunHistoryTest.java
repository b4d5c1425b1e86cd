package dev.tributary.db.run;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.run.RunHistory.Entry;
import dev.tributary.db.run.RunHistory.Filter;
import dev.tributary.db.run.HistoryStatus;
import dev.tributary.db.run.SyncType;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync history over sync_runs rows of every status, trigger, mode and kind, written with plain SQL: each
 * run's sync_type and status as the history maps them, filters and totals that count the same rows, and the
 * runs row-level security lets each scope see (an owner: pulls and its own pushes; the whole tenant: all;
 * another tenant: none).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunHistoryTest {

    private static final Instant FIRST = Instant.parse("2026-05-01T00:00:00Z");
    private static final String ALICE = "key:3f1c0d6e-0000-4000-8000-000000000001";
    private static final String BOB = "jwt:bob";

    /** A seeded run: what was stored, and what the history should make of it. */
    private record Seeded(UUID id, RunKind kind, RunMode mode, RunTrigger trigger, RunStatus status, String owner,
                          String appKey, Instant queuedAt) {
        SyncType expectedType() {
            if (trigger == RunTrigger.SCHEDULE) {
                return SyncType.SCHEDULED;
            }
            if (kind == RunKind.PUSH && mode == RunMode.DELTA) {
                return SyncType.DELTA;
            }
            return mode == RunMode.FULL ? SyncType.FULL : SyncType.MANUAL;
        }

        HistoryStatus expectedStatus() {
            return switch (status) {
                case COMPLETED -> HistoryStatus.COMPLETED;
                case COMPLETED_WITH_ERRORS -> HistoryStatus.PARTIAL_SUCCESS;
                case FAILED, DEAD_LETTERED -> HistoryStatus.FAILED;
                case QUEUED -> HistoryStatus.QUEUED;
                case RUNNING -> HistoryStatus.RUNNING;
                case RETRY_SCHEDULED -> HistoryStatus.RETRY_SCHEDULED;
                case CANCELLED -> HistoryStatus.CANCELLED;
            };
        }
    }

    private final TestDatabase database = TestPostgres.freshDatabase();
    private final RunHistory history = new RunHistory();
    private final List<Seeded> acme = new ArrayList<>();

    @BeforeAll
    void migrateAndSeed() throws SQLException {
        ApplicationContext.run(database.contextProperties()).close();
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex')");
        int n = 0;
        for (RunStatus status : RunStatus.values()) {
            for (RunKind kind : RunKind.values()) {
                List<RunMode> modes = kind == RunKind.PULL ? List.of(RunMode.FULL, RunMode.INCREMENTAL)
                        : List.of(RunMode.DELTA, RunMode.FULL);
                for (RunMode mode : modes) {
                    for (RunTrigger trigger : RunTrigger.values()) {
                        String owner = kind == RunKind.PULL ? null : n % 2 == 0 ? ALICE : BOB;
                        String app = kind == RunKind.PULL ? "stripe" : "intercom";
                        acme.add(insert("acme", kind, mode, trigger, status, owner, app, FIRST.plusSeconds(n++)));
                    }
                }
            }
        }
        insert("globex", RunKind.PULL, RunMode.FULL, RunTrigger.MANUAL, RunStatus.COMPLETED, null, "stripe",
                FIRST.plusSeconds(n++));
        insert("globex", RunKind.PUSH, RunMode.DELTA, RunTrigger.SCHEDULE, RunStatus.FAILED, ALICE, "intercom",
                FIRST.plusSeconds(n));
    }

    private Seeded insert(String tenant, RunKind kind, RunMode mode, RunTrigger trigger, RunStatus status,
                          String owner, String appKey, Instant queuedAt) throws SQLException {
        UUID id = UUID.randomUUID();
        database.execute("INSERT INTO tributary.sync_runs (tenant_id, id, app_key, collection_key, kind, owner, mode,"
                + " trigger, status, queued_at, records_total, records_new, records_updated, records_unchanged,"
                + " records_errors) VALUES ('" + tenant + "', '" + id + "', '" + appKey + "', 'c', '" + kind.value()
                + "', " + (owner == null ? "NULL" : "'" + owner + "'") + ", '" + mode.value() + "', '"
                + trigger.value() + "', '" + status.value() + "', '" + queuedAt + "', 10, 4, 3, 2, 1)");
        return new Seeded(id, kind, mode, trigger, status, owner, appKey, queuedAt);
    }

    /** A connection as the service has it: the runtime role, in a transaction naming the tenant and owner scope. */
    private Connection scoped(String tenant, String ownerSetting) throws SQLException {
        Connection c = DriverManager.getConnection(database.jdbcUrl(), database.runtimeUsername(),
                database.runtimePassword());
        c.setAutoCommit(false);
        c.createStatement().execute("SET ROLE tributary_app");
        c.createStatement().execute("SET search_path = tributary");
        try (var set = c.prepareStatement("SELECT set_config('tributary.tenant_id', ?, true),"
                + " set_config('tributary.user_id', ?, true)")) {
            set.setString(1, tenant);
            set.setString(2, ownerSetting);
            set.execute();
        }
        return c;
    }

    private RunHistory.Page page(String tenant, String ownerSetting, Filter filter, int limit, long offset)
            throws SQLException {
        try (Connection c = scoped(tenant, ownerSetting)) {
            return history.page(c, tenant, filter, limit, offset);
        }
    }

    /** Every entry the scope sees, page by page. */
    private List<Entry> all(String tenant, String ownerSetting, Filter filter) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        RunHistory.Page page;
        do {
            page = page(tenant, ownerSetting, filter, 50, entries.size());
            entries.addAll(page.entries());
        } while (!page.entries().isEmpty());
        assertEquals(page.total(), entries.size(), "the total counts what the pages hold");
        return entries;
    }

    private List<UUID> expectedIds(Predicate<Seeded> which) {
        return acme.stream().filter(which).sorted(Comparator.comparing(Seeded::queuedAt).reversed())
                .map(Seeded::id).toList();
    }

    @Test
    void everyRunGetsTheSyncTypeAndStatusItsTriggerModeKindAndRunStatusMapTo() throws SQLException {
        List<Entry> entries = all("acme", "*", Filter.ALL);
        assertEquals(acme.size(), entries.size());
        for (Entry entry : entries) {
            Seeded seeded = acme.stream().filter(s -> s.id().equals(entry.syncId())).findFirst().orElseThrow();
            String what = seeded.toString();
            assertEquals(seeded.expectedType(), entry.syncType(), what);
            assertEquals(seeded.expectedStatus(), entry.status(), what);
            assertEquals(seeded.status(), entry.runStatus(), what);
            assertEquals(seeded.kind(), entry.kind(), what);
            assertEquals(seeded.mode(), entry.mode(), what);
            assertEquals(seeded.trigger(), entry.trigger(), what);
            assertEquals(seeded.owner(), entry.owner(), what);
            assertEquals(seeded.appKey(), entry.appKey(), what);
            assertEquals(List.of(10L, 4L, 3L, 2L, 1L), List.of(entry.processed(), entry.created(), entry.updated(),
                    entry.unchanged(), entry.failed()), what);
        }
        // A few by name, so the rule is not only restated: a scheduled full push is scheduled, a webhook delta
        // push delta, a retried full pull full, a webhook incremental pull manual; dead-lettered is failed.
        assertEquals(SyncType.SCHEDULED, typeOf(entries, RunKind.PUSH, RunMode.FULL, RunTrigger.SCHEDULE));
        assertEquals(SyncType.DELTA, typeOf(entries, RunKind.PUSH, RunMode.DELTA, RunTrigger.WEBHOOK));
        assertEquals(SyncType.FULL, typeOf(entries, RunKind.PULL, RunMode.FULL, RunTrigger.RETRY));
        assertEquals(SyncType.MANUAL, typeOf(entries, RunKind.PULL, RunMode.INCREMENTAL, RunTrigger.WEBHOOK));
        assertTrue(entries.stream().filter(e -> e.runStatus() == RunStatus.DEAD_LETTERED)
                .allMatch(e -> e.status() == HistoryStatus.FAILED));
    }

    private static SyncType typeOf(List<Entry> entries, RunKind kind, RunMode mode, RunTrigger trigger) {
        List<SyncType> types = entries.stream()
                .filter(e -> e.kind() == kind && e.mode() == mode && e.trigger() == trigger)
                .map(Entry::syncType).distinct().toList();
        assertEquals(1, types.size(), types.toString());
        return types.get(0);
    }

    @Test
    void eachFilterAndItsTotalCountTheSameRunsNewestFirst() throws SQLException {
        for (SyncType type : SyncType.values()) {
            for (HistoryStatus status : HistoryStatus.values()) {
                Filter filter = new Filter(type, status, null, null);
                List<UUID> expected = expectedIds(s -> s.expectedType() == type && s.expectedStatus() == status);
                RunHistory.Page page = page("acme", "*", filter, 100, 0);
                assertEquals(expected.size(), page.total(), filter.toString());
                assertEquals(expected, page.entries().stream().map(Entry::syncId).toList(), filter.toString());
            }
        }
        assertEquals(expectedIds(s -> s.expectedType() == SyncType.SCHEDULED),
                all("acme", "*", new Filter(SyncType.SCHEDULED, null, null, null)).stream().map(Entry::syncId).toList());
        assertEquals(expectedIds(s -> s.expectedStatus() == HistoryStatus.FAILED),
                all("acme", "*", new Filter(null, HistoryStatus.FAILED, null, null)).stream().map(Entry::syncId).toList());
        assertEquals(expectedIds(s -> s.kind() == RunKind.PUSH),
                all("acme", "*", new Filter(null, null, null, RunKind.PUSH)).stream().map(Entry::syncId).toList());
        assertEquals(expectedIds(s -> s.appKey().equals("stripe") && s.expectedType() == SyncType.FULL),
                all("acme", "*", new Filter(SyncType.FULL, null, "stripe", null)).stream().map(Entry::syncId).toList());
        assertEquals(0, page("acme", "*", new Filter(SyncType.DELTA, null, null, RunKind.PULL), 20, 0).total());
    }

    @Test
    void pagesFollowEachOtherNewestFirstAndAnOffsetPastTheEndIsEmptyWithTheTotal() throws SQLException {
        RunHistory.Page first = page("acme", "*", Filter.ALL, 7, 0);
        RunHistory.Page second = page("acme", "*", Filter.ALL, 7, 7);
        List<UUID> newest = expectedIds(s -> true);
        assertEquals(newest.subList(0, 7), first.entries().stream().map(Entry::syncId).toList());
        assertEquals(newest.subList(7, 14), second.entries().stream().map(Entry::syncId).toList());
        RunHistory.Page beyond = page("acme", "*", Filter.ALL, 7, 10_000);
        assertEquals(List.of(), beyond.entries());
        assertEquals(acme.size(), beyond.total());
    }

    @Test
    void anOwnerSeesTheTenantsPullsAndOnlyItsOwnPushes() throws SQLException {
        List<UUID> alice = all("acme", ALICE, Filter.ALL).stream().map(Entry::syncId).toList();
        assertEquals(expectedIds(s -> s.kind() == RunKind.PULL || ALICE.equals(s.owner())), alice);
        assertTrue(alice.stream().noneMatch(expectedIds(s -> BOB.equals(s.owner()))::contains));

        List<UUID> bobsPushes = all("acme", BOB, new Filter(null, null, null, RunKind.PUSH)).stream()
                .map(Entry::syncId).toList();
        assertEquals(expectedIds(s -> BOB.equals(s.owner())), bobsPushes);
        assertEquals(expectedIds(s -> s.kind() == RunKind.PUSH).size(),
                page("acme", "*", new Filter(null, null, null, RunKind.PUSH), 1, 0).total());
        // No owner named: no push run at all, the pulls still.
        assertEquals(expectedIds(s -> s.kind() == RunKind.PULL),
                all("acme", "", Filter.ALL).stream().map(Entry::syncId).toList());
    }

    @Test
    void anotherTenantSeesNoneOfTheTenantsRunsEvenAskingForThem() throws SQLException {
        List<Entry> globex = all("globex", "*", Filter.ALL);
        assertEquals(2, globex.size());
        assertTrue(globex.stream().noneMatch(e -> acme.stream().anyMatch(s -> s.id().equals(e.syncId()))));
        // Scoped to globex, a query naming acme finds nothing: row-level security, not only the WHERE.
        try (Connection c = scoped("globex", "*")) {
            assertEquals(0, history.page(c, "acme", Filter.ALL, 100, 0).total());
        }
    }
}
