package dev.tributary.scheduler.run;

import dev.tributary.connector.ConnectorException;
import dev.tributary.db.DatabaseOutage;
import dev.tributary.db.lock.SyncLocks;
import dev.tributary.db.run.RunCounts;
import dev.tributary.db.run.RunKind;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.SyncRecords;
import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.SchedulerConfiguration;
import dev.tributary.scheduler.alert.Alerts;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.scheduler.alert.RunAlert;
import dev.tributary.scheduler.engine.Pause;
import dev.tributary.scheduler.engine.SyncEngine;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.push.PushEngine;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One queued run, executed on the worker whose Quartz thread fired its trigger: it
 * takes the row locks of every collection the run touches — when another run holds
 * any, the run stays queued and its job fires again a little later — then marks the
 * run running, syncs through the engine while holding the locks, and records the end
 * (for a retry of failed records, also whether each one now succeeded).
 *
 * <p>A database that is away never leaves a run without someone to finish it: before
 * the run started, the job fires again once the database answers (its Quartz trigger is
 * not used up); after, its end is recorded once the database answers; an attempt whose
 * lock went with a broken connection stops at its next page and is retried.
 */
@Singleton
@DisallowConcurrentExecution
public class SyncJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(SyncJob.class);

    private final SyncRuns runs;
    private final SyncQueue queue;
    private final SyncLocks locks;
    private final SyncEngine engine;
    private final PushEngine pushEngine;
    private final Apps apps;
    private final SchedulerConfiguration configuration;
    private final SyncRecords syncRecords;
    private final TenantScope scope;
    private final MeterRegistry meters;
    private final WorkerShutdown shutdown;
    private final Alerts alerts;
    private final Pause pause;
    private final Clock clock;

    SyncJob(SyncRuns runs, SyncQueue queue, SyncLocks locks, SyncEngine engine, PushEngine pushEngine, Apps apps,
            SchedulerConfiguration configuration, SyncRecords syncRecords, TenantScope scope,
            MeterRegistry meters, WorkerShutdown shutdown, Alerts alerts, Pause pause, Clock clock) {
        this.alerts = alerts;
        this.shutdown = shutdown;
        this.meters = meters;
        this.syncRecords = syncRecords;
        this.scope = scope;
        this.runs = runs;
        this.queue = queue;
        this.locks = locks;
        this.engine = engine;
        this.pushEngine = pushEngine;
        this.apps = apps;
        this.configuration = configuration;
        this.pause = pause;
        this.clock = clock;
    }

    /**
     * A run this worker has started: its row as started, what to run, the collections it syncs (resolved
     * once, for its locks and its passes), and the locks it holds.
     */
    private record Attempt(SyncRun run, SyncRequest request, LoadedApp app, List<String> collections,
                           SyncLocks.Held lock) {
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        JobDataMap data = context.getMergedJobDataMap();
        if (context.getScheduledFireTime() != null && context.getRefireCount() == 0) { // queue lag: how late it fired
            meters.timer("tributary.sync.queue.lag").record(Duration.ofMillis(Math.max(0,
                    context.getFireTime().getTime() - context.getScheduledFireTime().getTime())));
        }
        TenantId tenant = new TenantId(data.getString(SyncQueue.TENANT));
        UUID id = UUID.fromString(data.getString(SyncQueue.SYNC_ID));
        try (var tenantLog = MDC.putCloseable("tenant", tenant.value());
             var runLog = MDC.putCloseable("sync_id", id.toString())) {
            Optional<Attempt> attempt;
            try {
                attempt = begin(tenant, id, context.isRecovering());
            } catch (RuntimeException | SQLException e) {
                // Not once the node is shutting down: its pool may be closed for good; a trigger left
                // unfinished then is recovered by another node.
                if (DatabaseOutage.causedBy(e) && !shutdown.requested()) {
                    if (context.getRefireCount() == 0) {
                        LOG.warn("Run {} waits for the database ({}); its job fires again until it answers", id,
                                ConnectorException.describe(e));
                    }
                    pause.await(configuration.idleWait());
                    throw new JobExecutionException(e, true); // fire again now, the trigger kept
                }
                LOG.error("Run {} could not be started; it stays as it was", id, e);
                return;
            }
            if (attempt.isPresent()) {
                try (var appLog = MDC.putCloseable("app_key", attempt.get().run().appKey());
                     SyncLocks.Held lock = attempt.get().lock()) {
                    run(attempt.get());
                } catch (RuntimeException e) {
                    LOG.error("Run {} could not be recorded; it stays as it was", id, e);
                }
            }
        }
    }

    /**
     * Takes the run for this worker: empty when there is nothing to do (cancelled, finished, fired
     * twice), when its target is busy (it fires again later), or when it failed at once.
     */
    private Optional<Attempt> begin(TenantId tenant, UUID id, boolean recovering) throws SQLException {
        Optional<SyncRun> found = runs.find(tenant, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SyncRun run = found.get();
        if (!run.status().waiting() && !(recovering && run.status() == RunStatus.RUNNING)) {
            return Optional.empty(); // cancelled, finished, or fired twice
        }
        SyncRequest request = runs.request(run);
        Optional<LoadedApp> app = apps.load(tenant, run.appKey());
        if (app.isEmpty()) {
            failAtOnce(run, recovering, "app " + run.appKey() + " no longer exists", null);
            return Optional.empty();
        }
        SyncEngine.Target target = run.kind() == RunKind.PUSH ? pushEngine.target(request, app.get())
                : engine.target(request, app.get().connector(), app.get().context());
        if (target instanceof SyncEngine.Target.Refused refused) {
            failAtOnce(run, recovering, refused.reason(), app.get());
            return Optional.empty();
        }
        List<String> collections = ((SyncEngine.Target.Resolved) target).collections();
        Optional<SyncLocks.Held> held = locks.tryLock(run.tenantId(), run.appKey(), collections);
        if (held.isEmpty()) {
            meters.counter("tributary.sync.lock.waits").increment();
            LOG.debug("Run {} waits: another run of {}/{} holds its target", run.id(), run.appKey(), collections);
            queue.fireAgain(tenant, run.id(), configuration.lockRetryDelay());
            return Optional.empty();
        }
        try {
            return runs.start(run, configuration.effectiveNodeId(), recovering)
                    .map(started -> new Attempt(started, request, app.get(), collections, held.get()))
                    .or(() -> {
                        held.get().close();
                        return Optional.empty();
                    });
        } catch (RuntimeException e) {
            held.get().close();
            throw e;
        }
    }

    private void run(Attempt attempt) {
        SyncRun run = attempt.run();
        SyncRequest request = attempt.request();
        shutdown.started(run);
        try {
            SyncEngine.Progress progress = new SyncEngine.Progress() {
                @Override
                public void afterPage(String collection, RunCounts soFar) {
                    LOG.debug("Run {} {}: {} records so far", run.id(), collection, soFar.total());
                }

                @Override
                public boolean cancelled() {
                    return shutdown.requested() || runs.cancelRequested(run);
                }

                @Override
                public boolean lockLost() {
                    return !attempt.lock().stillHeld();
                }
            };
            SyncOutcome outcome = run.kind() == RunKind.PUSH
                    ? pushEngine.run(run.id(), request, attempt.app(), progress)
                    : engine.run(run.id(), request, attempt.app().connector(), attempt.app().context(),
                            attempt.collections(), progress);
            if (outcome instanceof SyncOutcome.Cancelled && shutdown.requested()
                    && !recorded(run, () -> runs.cancelRequested(run))) {
                if (recorded(run, () -> queue.handBack(run, "stopped at a page boundary for a node's shutdown;"
                        + " resumed by the next worker"))) {
                    LOG.info("Run {} stopped at a page boundary for shutdown; queued again", run.id());
                }
                return;
            }
            Optional<SyncRuns.Ending> settled = recorded(run, () -> queue.settle(request, run, outcome));
            if (settled.isEmpty()) {
                LOG.warn("Run {}: this attempt ended {} after the run was handed back or taken over; not recorded",
                        run.id(), outcome.status().value());
                return;
            }
            SyncRuns.Ending ending = settled.get();
            measure(run, outcome, ending);
            alert(run, outcome, ending, attempt.app());
            List<Long> retried = run.request().retryRecords();
            if (!retried.isEmpty() && ending.nextAttemptAt() == null) {
                boolean applied = outcome instanceof SyncOutcome.Completed
                        || outcome instanceof SyncOutcome.CompletedWithErrors;
                recorded(run, () -> scope.writeJdbc(new TenantId(run.tenantId()), c -> {
                    syncRecords.settleRetry(c, run.tenantId(), retried, run.id(), applied ? null : outcome.error());
                    return null;
                }));
            }
            LOG.info("Run {} of {}/{} (attempt {}) ended {}{}", run.id(), run.appKey(),
                    run.collectionKey() == null ? "*" : run.collectionKey(), run.attempt(), ending.status().value(),
                    outcome.error() == null ? "" : ": " + outcome.error());
        } finally {
            shutdown.ended(run);
        }
    }

    /**
     * Writes what a run's execution came to, waiting out a database that is away (until the node shuts
     * down: then the run stays running, and Quartz's recovery of this node's jobs fires it elsewhere).
     */
    private <T> T recorded(SyncRun run, Supplier<T> write) {
        for (int tries = 1; ; tries++) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (!DatabaseOutage.causedBy(e) || shutdown.requested()) {
                    throw e;
                }
                if (tries == 1) {
                    LOG.warn("Run {}: waiting for the database to record how it ended ({})", run.id(),
                            ConnectorException.describe(e));
                }
                pause.await(configuration.idleWait());
            }
        }
    }

    /** Tells the app's alert channels about a failure, a dead letter or a deletion-guard stop. */
    private void alert(SyncRun run, SyncOutcome outcome, SyncRuns.Ending ending, LoadedApp app) {
        String event = switch (ending.status()) {
            case FAILED -> "run_failed";
            case DEAD_LETTERED -> "run_dead_lettered";
            default -> outcome instanceof SyncOutcome.CompletedWithErrors partial && partial.deletionGuardStopped()
                    ? "deletion_guard_stopped" : null;
        };
        if (event != null) {
            alerts.send(app.alerts(), new RunAlert(event, run.id(), run.tenantId(), run.appKey(), run.collectionKey(),
                    outcome.error(), clock.instant(), ending.recordsProcessed()));
        }
    }

    /** Runs by how they ended, records by outcome, and run duration (Prometheus: tributary_sync_*). */
    private void measure(SyncRun run, SyncOutcome outcome, SyncRuns.Ending ending) {
        meters.counter("tributary.sync.runs", "status", ending.status().value()).increment();
        RunCounts counts = outcome.counts();
        record("new", counts.created());
        record("updated", counts.updated());
        record("unchanged", counts.unchanged());
        record("deleted", counts.deleted());
        record("archived", counts.archived());
        record("errors", counts.errors());
        meters.timer("tributary.sync.run.duration", "status", ending.status().value())
                .record(Duration.between(run.startedAt(), clock.instant()));
    }

    private void record(String outcome, long count) {
        if (count > 0) {
            meters.counter("tributary.sync.records", "outcome", outcome).increment(count);
        }
    }

    /**
     * Ends a run that cannot even begin (its app is gone, or the run names what the app no longer has),
     * counted and alerted like any failed run; an app that is gone has no alert channels left.
     */
    private void failAtOnce(SyncRun run, boolean recovering, String error, @Nullable LoadedApp app) {
        runs.start(run, configuration.effectiveNodeId(), recovering).ifPresent(started -> {
            SyncOutcome outcome = new SyncOutcome.Failed(RunCounts.ZERO, error);
            queue.settle(runs.request(started), started, outcome).ifPresent(ending -> {
                measure(started, outcome, ending);
                if (app != null) {
                    alert(started, outcome, ending, app);
                }
                LOG.info("Run {} of {}/{} could not begin: {}", started.id(), started.appKey(),
                        started.collectionKey() == null ? "*" : started.collectionKey(), error);
            });
        });
    }
}
