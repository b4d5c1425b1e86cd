package dev.tributary.scheduler.run;

import dev.tributary.db.run.AttemptStatus;
import dev.tributary.db.run.DryRunPreview;
import dev.tributary.db.run.RunAttempt;
import dev.tributary.db.run.RunCounts;
import dev.tributary.db.run.RunKind;
import dev.tributary.db.run.RunRequest;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRun;
import dev.tributary.db.run.SyncRunRepository;
import dev.tributary.scheduler.SchedulerConfiguration;
import dev.tributary.scheduler.engine.RunProgress;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place that reads and writes {@code sync_runs}: a row when a run is queued (or, from
 * the command line, starts at once), its start on a worker, the counts and notes the
 * engine reports page by page ({@link RunProgress}), cancels, and its end — status, duration,
 * sanitized error, dry-run preview, the attempt — from the engine's {@link SyncOutcome}. Every
 * execution has exactly one row, whose counts cover all its attempts.
 */
@Singleton
public class SyncRuns implements RunProgress {

    private final SyncRunRepository runs;
    private final TenantScope scope;
    private final Clock clock;
    private final SchedulerConfiguration configuration;

    public SyncRuns(SyncRunRepository runs, TenantScope scope, Clock clock, SchedulerConfiguration configuration) {
        this.runs = runs;
        this.scope = scope;
        this.clock = clock;
        this.configuration = configuration;
    }

    /** Records a run starting now on {@code nodeId} (a run outside the queue: the command line). */
    public SyncRun begin(SyncRequest request, RunTrigger trigger, int maxAttempts, String nodeId) {
        Instant now = now();
        var run = new SyncRun(UUID.randomUUID(), request.tenant().value(), request.appKey(), request.collection(),
                request.mode(), trigger, request.dryRun(), RunStatus.RUNNING, 1, maxAttempts, null,
                stored(request, List.of()), now, now, null, null, 0, 0, 0, 0, 0, 0, 0, null, nodeId, null, null,
                null, List.of(), List.of(), RunKind.PULL, null, List.of());
        return scope.write(request.tenant(), () -> runs.save(run));
    }

    /**
     * Records a run waiting for a worker; joins the caller's transaction (the queue adds its trigger there).
     * A pull has no owner; a push ({@code kind} push, its target app and item ids in the request) is its
     * {@code owner}'s. {@code retryRecords}: the failed records ({@code sync_records} ids) a pull retries, if any.
     */
    public SyncRun queue(SyncRequest request, RunKind kind, String owner, RunTrigger trigger, int maxAttempts,
                         String idempotencyKey, List<Long> retryRecords) {
        var run = new SyncRun(UUID.randomUUID(), request.tenant().value(), request.appKey(), request.collection(),
                request.mode(), trigger, request.dryRun(), RunStatus.QUEUED, 1, maxAttempts, idempotencyKey,
                stored(request, retryRecords), clock.instant(), null, null, null, 0, 0, 0, 0, 0, 0, 0, null, null,
                null, null, null, List.of(), List.of(), kind, owner, List.of());
        return scope.write(request.tenant(), () -> runs.save(run));
    }

    public Optional<SyncRun> find(TenantId tenant, UUID id) {
        return scope.read(tenant, () -> runs.findByTenantIdAndId(tenant.value(), id));
    }

    /** A page of the tenant's runs, newest first, optionally of one app, collection or status. */
    public List<SyncRun> list(TenantId tenant, String appKey, String collection, RunStatus status, int limit,
                              long offset) {
        return scope.read(tenant, () -> runs.list(tenant.value(), appKey, collection, status, limit, offset));
    }

    /** How many runs {@link #list} pages through. */
    public long count(TenantId tenant, String appKey, String collection, RunStatus status) {
        return scope.read(tenant, () -> runs.count(tenant.value(), appKey, collection, status));
    }

    /**
     * Takes a run for this node: from queued (or retry_scheduled), or — when Quartz recovers
     * the job of a node that died — from running. Returns the run as started, or empty when
     * it was in none of those states (cancelled, finished, taken by another node).
     */
    public Optional<SyncRun> start(SyncRun run, String nodeId, boolean recovering) {
        Instant now = now();
        String[] from = (recovering ? List.of(RunStatus.QUEUED, RunStatus.RETRY_SCHEDULED, RunStatus.RUNNING)
                : List.of(RunStatus.QUEUED, RunStatus.RETRY_SCHEDULED)).stream().map(RunStatus::value)
                .toArray(String[]::new);
        TenantId tenant = new TenantId(run.tenantId());
        return scope.write(tenant, () -> runs.start(run.tenantId(), run.id(), nodeId, now, from) == 1
                ? runs.findByTenantIdAndId(run.tenantId(), run.id()) : Optional.empty());
    }

    /** The request a run was queued with, to run it (again). */
    public SyncRequest request(SyncRun run) {
        RunRequest stored = run.request();
        return new SyncRequest(new TenantId(run.tenantId()), run.appKey(), run.collectionKey(), run.mode(),
                run.dryRun(), stored.forceDeletions(), stored.ids(), stored.filters());
    }

    /** What sync_runs.request keeps of a request: everything needed to run it again. */
    private static RunRequest stored(SyncRequest request, List<Long> retryRecords) {
        return new RunRequest(request.collection(), request.mode(), request.dryRun(), request.forceDeletions(),
                request.ids(), request.filters(), retryRecords);
    }

    /**
     * How a run stands after an execution: its status, when the next attempt is due (a retry only), and
     * the records its attempts have processed so far.
     */
    public record Ending(RunStatus status, Instant nextAttemptAt, long recordsProcessed) {
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
        Instant now = now();
        RunStatus status = outcome.status().runStatus();
        Instant next = null;
        if (outcome instanceof SyncOutcome.RetryLater retry && run.maxAttempts() > 1) {
            if (run.attempt() < run.maxAttempts()) {
                status = RunStatus.RETRY_SCHEDULED;
                next = now.plus(backoff(run.attempt(), retry.after()));
            } else {
                status = RunStatus.DEAD_LETTERED;
            }
        }
        RunStatus ending = status;
        Instant nextAttempt = next;
        return scope.write(request.tenant(), () -> {
            if (!end(run, ending, outcome.status(), now, outcome.error(), outcome.preview(), nextAttempt)) {
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
        return scope.write(new TenantId(run.tenantId()), () -> end(run, AttemptStatus.INTERRUPTED.runStatus(),
                AttemptStatus.INTERRUPTED, now(), reason, null, null));
    }

    /** Ends the run's current execution (see {@link SyncRunRepository#finish}); false when it no longer is. */
    private boolean end(SyncRun run, RunStatus status, AttemptStatus attempt, Instant now, String error,
                        DryRunPreview preview, Instant nextAttemptAt) {
        return runs.finish(run.tenantId(), run.id(), run.nodeId(), run.startedAt(), status, now,
                Duration.between(run.startedAt(), now).toMillis(), error, preview, nextAttemptAt,
                new RunAttempt(run.attempt(), run.nodeId(), run.startedAt(), now, attempt, error)) == 1;
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
}
