package dev.tributary.db.run;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * sync_runs' typed columns against a real PostgreSQL: enums stored as the strings the table's checks
 * name, JSON columns as records, both ways, and rows written before the columns were typed read as
 * they were meant. The JSON settings are the service's (a strict reader that refuses unknown members).
 */
class SyncRunRepositoryTest {

    private static final Instant QUEUED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant STARTED = Instant.parse("2026-03-01T10:00:01.123456Z");

    private final TestDatabase database = TestPostgres.freshDatabase();
    private ApplicationContext context;
    private SyncRunRepository runs;

    @BeforeEach
    void start() throws SQLException {
        Map<String, Object> properties = database.contextProperties();
        properties.put("micronaut.serde.property-naming-strategy", "SNAKE_CASE");
        properties.put("micronaut.serde.serialization.inclusion", "NON_NULL");
        properties.put("micronaut.serde.deserialization.ignore-unknown", "false");
        context = ApplicationContext.run(properties);
        runs = context.getBean(SyncRunRepository.class);
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
    }

    @AfterEach
    void stop() {
        context.close();
    }

    private SyncRun queued(UUID id, RunRequest request) {
        return new SyncRun(id, "acme", "api", "items", RunMode.INCREMENTAL, RunTrigger.SCHEDULE, false,
                RunStatus.QUEUED, 1, 3, null, request, QUEUED, null, null, null, 0, 0, 0, 0, 0, 0, 0, null, null,
                null, null, null, List.of(), List.of(), RunKind.PULL, null, List.of());
    }

    @Test
    void enumsAreStoredAsTheirLowerCaseNamesAndRequestsAsJson() throws SQLException {
        UUID id = UUID.randomUUID();
        var request = new RunRequest("items", RunMode.INCREMENTAL, false, true, List.of("a", "b"),
                new RunFilters(List.of("active"), Instant.parse("2026-01-01T00:00:00Z"), null), List.of(7L));
        inTenant(() -> runs.save(queued(id, request)));

        assertEquals("incremental schedule queued", database.queryText("SELECT mode || ' ' || trigger || ' ' || status"
                + " FROM tributary.sync_runs WHERE id = '" + id + "'"));
        assertEquals("{\"ids\": [\"a\", \"b\"], \"mode\": \"incremental\", \"dry_run\": false, \"filters\": {\"to\": null,"
                        + " \"from\": \"2026-01-01T00:00:00Z\", \"status\": [\"active\"]}, \"collection\": \"items\","
                        + " \"retry_records\": [7], \"force_deletions\": true}",
                database.queryText("SELECT request::text FROM tributary.sync_runs WHERE id = '" + id + "'"));
        SyncRun read = inTenant(() -> runs.findByTenantIdAndId("acme", id)).orElseThrow();
        assertEquals(request, read.request());
        assertEquals(RunStatus.QUEUED, read.status());
        assertEquals(RunTrigger.SCHEDULE, read.trigger());
        assertEquals(RunMode.INCREMENTAL, read.mode());
    }

    @Test
    void anEndingAppendsItsAttemptAndKeepsADryRunsPreview() {
        UUID id = UUID.randomUUID();
        inTenant(() -> runs.save(queued(id, new RunRequest(null, RunMode.FULL, true, false, null, null, null))));
        assertEquals(1, inTenant(() -> runs.start("acme", id, "node-1", STARTED, new String[]{"queued"})));
        Instant ended = STARTED.plusSeconds(2);
        var preview = new DryRunPreview(new RunCounts(5, 1, 1, 3, 1, 0, 0),
                Map.of("items", Map.of("new", List.of("item-6"), "deleted", List.of())));
        var attempt = new RunAttempt(1, "node-1", STARTED, ended, AttemptStatus.COMPLETED, null);
        assertEquals(1, inTenant(() -> runs.finish("acme", id, "node-1", STARTED, RunStatus.COMPLETED, ended,
                2000, null, preview, null, attempt)));
        assertEquals(0, inTenant(() -> runs.finish("acme", id, "node-1", STARTED, RunStatus.COMPLETED, ended,
                2000, null, preview, null, attempt)), "that execution is no longer running");

        SyncRun read = inTenant(() -> runs.findByTenantIdAndId("acme", id)).orElseThrow();
        assertEquals(RunStatus.COMPLETED, read.status());
        assertEquals(List.of(attempt), read.attempts());
        assertEquals(preview, read.dryRunPreview());
    }

    @Test
    void rowsWrittenBeforeTheColumnsWereTypedReadAsTheyWereMeant() throws SQLException {
        UUID bare = UUID.randomUUID();
        UUID retried = UUID.randomUUID();
        database.execute("INSERT INTO tributary.sync_runs (tenant_id, id, app_key, mode, trigger, status)"
                + " VALUES ('acme', '" + bare + "', 'api', 'full', 'manual', 'running')");
        // An attempt as SQL built it (timestamps with an offset), a request with every member spelled out.
        database.execute("INSERT INTO tributary.sync_runs (tenant_id, id, app_key, collection_key, mode, trigger,"
                + " status, request, attempts, notes) VALUES ('acme', '" + retried + "', 'api', 'items', 'incremental',"
                + " 'retry', 'completed_with_errors', '{\"collection\": \"items\", \"mode\": \"incremental\","
                + " \"dry_run\": false, \"force_deletions\": false, \"ids\": [\"x\"], \"filters\": {\"status\": [],"
                + " \"from\": null, \"to\": null}, \"retry_records\": [4, 5]}', jsonb_build_array(jsonb_build_object("
                + "'attempt', 1, 'node_id', 'n', 'started_at', '2026-03-01T10:00:01.5+00'::timestamptz,"
                + " 'completed_at', '2026-03-01T10:00:03+00'::timestamptz, 'status', 'completed_with_errors',"
                + " 'error', '1 records failed')), '[\"items: a note\"]')");

        SyncRun legacy = inTenant(() -> runs.findByTenantIdAndId("acme", bare)).orElseThrow();
        assertEquals(new RunRequest(null, null, false, false, List.of(), RunFilters.NONE, List.of()), legacy.request());
        assertEquals(List.of(), legacy.attempts());
        assertNull(legacy.dryRunPreview());

        SyncRun read = inTenant(() -> runs.findByTenantIdAndId("acme", retried)).orElseThrow();
        assertEquals(List.of(4L, 5L), read.request().retryRecords());
        assertEquals(List.of("x"), read.request().ids());
        assertEquals(List.of(new RunAttempt(1, "n", Instant.parse("2026-03-01T10:00:01.5Z"),
                Instant.parse("2026-03-01T10:00:03Z"), AttemptStatus.COMPLETED_WITH_ERRORS, "1 records failed")),
                read.attempts());
        assertEquals(List.of("items: a note"), read.notes());
    }

    @Test
    void everyEnumConstantIsWrittenAsItsValueAndReadBack() throws Exception {
        JsonMapper json = context.getBean(JsonMapper.class);
        List<Enum<?>> constants = new ArrayList<>();
        constants.addAll(List.of(RunStatus.values()));
        constants.addAll(List.of(RunTrigger.values()));
        constants.addAll(List.of(RunMode.values()));
        constants.addAll(List.of(AttemptStatus.values()));
        for (Enum<?> constant : constants) {
            String value = constant.name().toLowerCase(Locale.ROOT);
            assertEquals("\"" + value + "\"", json.writeValueAsString(constant));
            assertEquals(constant, json.readValue("\"" + value + "\"", constant.getDeclaringClass()));
        }
        for (RunStatus status : RunStatus.values()) {
            assertEquals(Optional.of(status), RunStatus.of(status.value()));
        }
        assertEquals(Optional.empty(), RunStatus.of("COMPLETED"), "only the stored spelling");
    }

    /** Runs the work in a transaction scoped to tenant acme, as tenancy's TenantScope does. */
    @SuppressWarnings("unchecked")
    private <T> T inTenant(Supplier<T> work) {
        TransactionOperations<Connection> transactions = context.getBean(TransactionOperations.class);
        return transactions.executeWrite(status -> {
            try (var s = status.getConnection().prepareStatement("SELECT set_config('tributary.tenant_id', 'acme', true)")) {
                s.execute();
            }
            return work.get();
        });
    }
}
