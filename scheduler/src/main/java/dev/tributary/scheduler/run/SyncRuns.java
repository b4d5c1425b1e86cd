package dev.tributary.scheduler.run;

import dev.tributary.db.run.SyncRun;
import dev.tributary.db.run.SyncRunRepository;
import dev.tributary.scheduler.SchedulerConfiguration;
import dev.tributary.scheduler.engine.RunCounts;
import dev.tributary.scheduler.engine.RunProgress;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place that writes {@code sync_runs}: a row when a run is queued (or, from
 * the command line, starts at once), its start on a worker, the counts and notes the
 * engine reports page by page ({@link RunProgress}), and its end — status, duration,
 * sanitized error, dry-run preview — from the engine's {@link SyncOutcome}. Every
 * execution has exactly one row, whose counts cover all its attempts.
 */
@Singleton
public class SyncRuns implements RunProgress {

    private final SyncRunRepository runs;
    private final TenantScope scope;
    private final JsonMapper json;
    private final Clock clock;
    private final SchedulerConfiguration configuration;

    public SyncRuns(SyncRunRepository runs, TenantScope scope, JsonMapper json, Clock clock,
                    SchedulerConfiguration configuration) {
        this.configuration = configuration;
        this.runs = runs;
        this.scope = scope;
        this.json = json;
        this.clock = clock;
    }

    /** Records a run starting now on {@code nodeId} (a run outside the queue: the command line). */
    public SyncRun begin(SyncRequest request, String trigger, int maxAttempts, String nodeId) {
        Instant now = now();
        var run = new SyncRun(UUID.randomUUID(), request.tenant().value(), request.appKey(), request.collection(),
                mode(request), trigger, request.dryRun(), "running", 1, maxAttempts, null, write(stored(request)), now,
                now, null, null, 0, 0, 0, 0, 0, 0, 0, null, nodeId, null, null, null, "[]", "[]");
        return scope.write(request.tenant(), () -> runs.save(run));
    }

    /**
     * Records a run waiting for a worker; joins the caller's transaction (the queue adds its trigger there).
     * {@code retryRecords}: the failed records ({@code sync_records} ids) this run retries, if any.
     */
    public SyncRun queue(SyncRequest request, String trigger, int maxAttempts, String idempotencyKey,
                         List<Long> retryRecords) {
        Map<String, Object> stored = stored(request);
        if (!retryRecords.isEmpty()) {
            stored.put(RETRY_RECORDS, retryRecords);
        }
        var run = new SyncRun(UUID.randomUUID(), request.tenant().value(), request.appKey(), request.collection(),
                mode(request), trigger, request.dryRun(), "queued", 1, maxAttempts, idempotencyKey,
                write(stored), clock.instant(), null, null, null, 0, 0, 0, 0, 0, 0, 0, null, null, null, null,
                null, "[]", "[]");
        return scope.write(request.tenant(), () -> runs.save(run));
    }

    public Optional<SyncRun> find(TenantId tenant, UUID id) {
        return scope.read(tenant, () -> runs.findByTenantIdAndId(tenant.value(), id));
    }

    /**
     * Takes a run for this node: from queued (or retry_scheduled), or — when Quartz recovers
     * the job of a node that died — from running. Returns the run as started, or empty when
     * it was in none of those states (cancelled, finished, taken by another node).
     */
    public Optional<SyncRun> start(SyncRun run, String nodeId, boolean recovering) {
        Instant now = now();
        String[] from = recovering ? new String[]{"queued", "retry_scheduled", "running"}
                : new String[]{"queued", "retry_scheduled"};
        TenantId tenant = new TenantId(run.tenantId());
        return scope.write(tenant, () -> runs.start(run.tenantId(), run.id(), nodeId, now, from) == 1
                ? runs.findByTenantIdAndId(run.tenantId(), run.id()) : Optional.empty());
    }

    private static final String RETRY_RECORDS = "retry_records";

    /** The failed records a retry run retries; empty for other runs. */
    public List<Long> retryRecords(SyncRun run) {
        return read(run.request()).get(RETRY_RECORDS) instanceof List<?> ids
                ? ids.stream().map(id -> ((Number) id).longValue()).toList() : List.of();
    }

    /** The request a run was queued with. */
    public SyncRequest request(SyncRun run) {
        Map<String, Object> body = read(run.request());
        List<String> ids = strings(body.get("ids"));
        Map<String, Object> filters = body.get("filters") instanceof Map<?, ?> map ? cast(map) : Map.of();
        return new SyncRequest(new TenantId(run.tenantId()), run.appKey(), run.collectionKey(),
                "full".equals(run.mode()) ? SyncRequest.Mode.FULL : SyncRequest.Mode.INCREMENTAL, run.dryRun(),
                Boolean.TRUE.equals(body.get("force_deletions")), ids,
                new SyncRequest.Filters(strings(filters.get("status")), instant(filters.get("from")),
                        instant(filters.get("to"))));
    }

    /** What sync_runs.request keeps of a request: everything needed to run it again. */
    private static Map<String, Object> stored(SyncRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("collection", request.collection());
        body.put("mode", mode(request));
        body.put("dry_run", request.dryRun());
        body.put("force_deletions", request.forceDeletions());
        body.put("ids", request.ids());
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("status", request.filters().statuses());
        filters.put("from", request.filters().from() == null ? null : request.filters().from().toString());
        filters.put("to", request.filters().to() == null ? null : request.filters().to().toString());
        body.put("filters", filters);
        return body;
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse(value.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, io.micronaut.core.type.Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How a run stands after an execution: its status, when the next attempt is due (a retry only), and
     * the records its attempts have processed so far.
     */
    public record Ending(String status, Instant nextAttemptAt, long recordsProcessed) {
    }

    @Override
    public void counted(TenantId tenant, UUID syncId, RunCounts counts) {
        runs.addCounts(tenant.value(), syncId, counts.total(), counts.created(), counts.updated(), counts.unchanged(),
                counts.deleted(), counts.archived(), counts.errors());
    }

    @Override
    public void noted(TenantId tenant, UUID syncId, String note) {
        runs.addNote(tenant.value(), syncId, note);
    }

    /**
     * Records how an execution ended. A retriable failure with attempts left becomes
     * {@code retry_scheduled}, due after {@code retryBaseDelay × 3^(attempt−1)} with ±20% jitter
     * (or the source's Retry-After, if later); after the last attempt the run is
     * {@code dead_lettered} (a run allowed one attempt simply fails). The counts are already in the
     * row, page by page; a dry run's, which wrote nothing, are set from this last attempt. Empty when
     * the execution is no longer the run's current one (handed back at a shutdown's deadline, or
     * recovered by another node): it changes nothing then. Joins the caller's transaction.
     */
    public Optional<Ending> finish(SyncRequest request, SyncRun run, SyncOutcome outcome) {
        Instant now = clock.instant();
        String status = outcome.status();
        Instant next = null;
        if (outcome instanceof SyncOutcome.RetryLater retry && run.maxAttempts() > 1) {
            if (run.attempt() < run.maxAttempts()) {
                status = "retry_scheduled";
                next = now.plus(backoff(run.attempt(), retry.after()));
            } else {
                status = "dead_lettered";
            }
        }
        String ending = status;
        Instant nextAttempt = next;
        return scope.write(request.tenant(), () -> {
            if (runs.finish(run.tenantId(), run.id(), run.nodeId(), run.startedAt(), ending, outcome.status(), now,
                    Duration.between(run.startedAt(), now).toMillis(), outcome.error(), outcome.preview(),
                    nextAttempt) == 0) {
                return Optional.<Ending>empty();
            }
            if (run.dryRun()) {
                RunCounts counts = outcome.counts();
                runs.setDryRunCounts(run.tenantId(), run.id(), counts.total(), counts.created(), counts.updated(),
                        counts.unchanged(), counts.deleted(), counts.archived(), counts.errors());
            }
            long processed = runs.findByTenantIdAndId(run.tenantId(), run.id()).map(SyncRun::recordsTotal).orElse(0L);
            return Optional.of(new Ending(ending, nextAttempt, processed));
        });
    }

    /**
     * Back to queued, its execution kept in the attempts as interrupted, after its worker stopped for a
     * node's shutdown (or, past the shutdown's deadline, without it); false when that execution was no
     * longer the run's current one. What its pages did is already in the counts. Joins the caller's
     * transaction.
     */
    public boolean handBack(SyncRun run, String reason) {
        Instant now = clock.instant();
        return scope.write(new TenantId(run.tenantId()), () ->
                runs.finish(run.tenantId(), run.id(), run.nodeId(), run.startedAt(), "queued", "interrupted", now,
                        Duration.between(run.startedAt(), now).toMillis(), reason, null, null) == 1);
    }

    private Duration backoff(int attempt, Duration retryAfter) {
        long base = configuration.retryBaseDelay().toMillis() * (long) Math.pow(3, attempt - 1);
        long jittered = Math.round(base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        Duration delay = Duration.ofMillis(jittered);
        return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }

    /** Cancels a run no worker has started; false when it was not waiting. Joins the caller's transaction. */
    public boolean cancelWaiting(SyncRun run) {
        return scope.write(new TenantId(run.tenantId()),
                () -> runs.cancelWaiting(run.tenantId(), run.id(), clock.instant()) == 1);
    }

    /** Asks a running run to stop at its next batch boundary; false when it is not running. */
    public boolean requestCancel(SyncRun run) {
        return scope.write(new TenantId(run.tenantId()),
                () -> runs.requestCancel(run.tenantId(), run.id(), clock.instant()) == 1);
    }

    public boolean cancelRequested(SyncRun run) {
        return scope.read(new TenantId(run.tenantId()),
                () -> runs.countCancelRequested(run.tenantId(), run.id()) > 0);
    }

    /** Now, as PostgreSQL keeps it (microseconds), so a start time read back equals the one written. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String mode(SyncRequest request) {
        return request.mode().name().toLowerCase(Locale.ROOT);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
