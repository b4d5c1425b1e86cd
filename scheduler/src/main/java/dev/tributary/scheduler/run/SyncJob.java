package dev.tributary.scheduler.run;

import dev.tributary.connector.ConnectorException;
import dev.tributary.db.lock.SyncLocks;
import dev.tributary.db.run.FailedRecords;
import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.SchedulerConfiguration;
import dev.tributary.scheduler.alert.Alerts;
import dev.tributary.scheduler.alert.RunAlert;
import dev.tributary.scheduler.engine.RunCounts;
import dev.tributary.scheduler.engine.SyncEngine;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One queued run, executed on the worker whose Quartz thread fired its trigger: it
 * takes the row locks of every collection the run touches — when another run holds
 * any, the run stays queued and its job fires again a little later — then marks the
 * run running, syncs through the engine while holding the locks, and records the end
 * (for a retry of failed records, also whether each one now succeeded).
 */
@Singleton
@DisallowConcurrentExecution
public class SyncJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(SyncJob.class);

    private final SyncRuns runs;
    private final SyncQueue queue;
    private final SyncLocks locks;
    private final SyncEngine engine;
    private final AppDirectory apps;
    private final SchedulerConfiguration configuration;
    private final FailedRecords failedRecords;
    private final TenantScope scope;
    private final MeterRegistry meters;
    private final WorkerShutdown shutdown;
    private final Alerts alerts;

    SyncJob(SyncRuns runs, SyncQueue queue, SyncLocks locks, SyncEngine engine, AppDirectory apps,
            SchedulerConfiguration configuration, FailedRecords failedRecords, TenantScope scope,
            MeterRegistry meters, WorkerShutdown shutdown, Alerts alerts) {
        this.alerts = alerts;
        this.shutdown = shutdown;
        this.meters = meters;
        this.failedRecords = failedRecords;
        this.scope = scope;
        this.runs = runs;
        this.queue = queue;
        this.locks = locks;
        this.engine = engine;
        this.apps = apps;
        this.configuration = configuration;
    }

    @Override
    public void execute(JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        if (context.getScheduledFireTime() != null) { // queue lag: how late the trigger fired
            meters.timer("tributary.sync.queue.lag").record(Duration.ofMillis(Math.max(0,
                    context.getFireTime().getTime() - context.getScheduledFireTime().getTime())));
        }
        TenantId tenant = new TenantId(data.getString(SyncQueue.TENANT));
        UUID id = UUID.fromString(data.getString(SyncQueue.SYNC_ID));
        try (var tenantLog = MDC.putCloseable("tenant", tenant.value());
             var runLog = MDC.putCloseable("sync_id", id.toString())) {
            Optional<SyncRun> run = runs.find(tenant, id);
            if (run.isPresent()) {
                try (var appLog = MDC.putCloseable("app_key", run.get().appKey())) {
                    execute(run.get(), context.isRecovering());
                }
            }
        } catch (RuntimeException | SQLException e) {
            LOG.error("Run {} could not be executed; it stays as it was", id, e);
        }
    }

    private void execute(SyncRun run, boolean recovering) throws SQLException {
        boolean waiting = run.status().equals("queued") || run.status().equals("retry_scheduled");
        if (!waiting && !(recovering && run.status().equals("running"))) {
            return; // cancelled, finished, or fired twice
        }
        TenantId tenant = new TenantId(run.tenantId());
        SyncRequest request = runs.request(run);
        Optional<AppDirectory.AppConnection> app = apps.find(tenant, run.appKey());
        if (app.isEmpty()) {
            failAtOnce(run, recovering, "app " + run.appKey() + " no longer exists");
            return;
        }
        List<String> collections;
        try {
            collections = request.collection() != null ? List.of(request.collection())
                    : app.get().connector().collections(app.get().context());
        } catch (ConnectorException.ConfigInvalid e) {
            failAtOnce(run, recovering, "app configuration is invalid: " + e.getMessage());
            return;
        }
        Optional<SyncLocks.Held> held = locks.tryLock(run.tenantId(), run.appKey(), collections);
        if (held.isEmpty()) {
            meters.counter("tributary.sync.lock.waits").increment();
            LOG.debug("Run {} waits: another run of {}/{} holds its target", run.id(), run.appKey(), collections);
            queue.fireAgain(tenant, run.id(), configuration.lockRetryDelay());
            return;
        }
        try (SyncLocks.Held lock = held.get()) {
            Optional<SyncRun> started = runs.start(run, configuration.effectiveNodeId(), recovering);
            if (started.isEmpty()) {
                return;
            }
            SyncRun running = started.get();
            SyncOutcome outcome = engine.run(run.id(), request, app.get().connector(), app.get().context(),
                    new SyncEngine.Progress() {
                        @Override
                        public void afterPage(String collection, RunCounts soFar) {
                            LOG.debug("Run {} {}: {} records so far", run.id(), collection, soFar.total());
                        }

                        @Override
                        public boolean cancelled() {
                            return shutdown.requested() || runs.cancelRequested(running);
                        }
                    });
            if (outcome instanceof SyncOutcome.Cancelled && shutdown.requested() && !runs.cancelRequested(running)) {
                queue.handBack(running, outcome);
                LOG.info("Run {} stopped at a batch boundary for shutdown; queued again", run.id());
                return;
            }
            SyncRuns.Ending ending = queue.settle(request, running, outcome);
            measure(running, outcome, ending);
            alert(running, outcome, ending, app.get());
            List<Long> retried = runs.retryRecords(running);
            if (!retried.isEmpty() && ending.nextAttemptAt() == null) {
                boolean applied = outcome instanceof SyncOutcome.Completed
                        || outcome instanceof SyncOutcome.CompletedWithErrors;
                scope.writeJdbc(tenant, c -> {
                    failedRecords.settleRetry(c, run.tenantId(), retried, run.id(), applied ? null : outcome.error());
                    return null;
                });
            }
            LOG.info("Run {} of {}/{} (attempt {}) ended {}{}", run.id(), run.appKey(),
                    run.collectionKey() == null ? "*" : run.collectionKey(), running.attempt(), ending.status(),
                    outcome.error() == null ? "" : ": " + outcome.error());
        }
    }

    /** Tells the app's alert channels about a failure, a dead letter or a deletion-guard stop. */
    private void alert(SyncRun run, SyncOutcome outcome, SyncRuns.Ending ending, AppDirectory.AppConnection app) {
        String event = switch (ending.status()) {
            case "failed" -> "run_failed";
            case "dead_lettered" -> "run_dead_lettered";
            default -> outcome instanceof SyncOutcome.CompletedWithErrors partial && partial.deletionGuardStopped()
                    ? "deletion_guard_stopped" : null;
        };
        if (event != null) {
            alerts.send(app.alerts(), new RunAlert(event, run.id(), run.tenantId(), run.appKey(), run.collectionKey(),
                    outcome.error(), Instant.now(), outcome.counts().total()));
        }
    }

    /** Runs by how they ended, records by outcome, and run duration (Prometheus: tributary_sync_*). */
    private void measure(SyncRun run, SyncOutcome outcome, SyncRuns.Ending ending) {
        meters.counter("tributary.sync.runs", "status", ending.status()).increment();
        RunCounts counts = outcome.counts();
        record("new", counts.created());
        record("updated", counts.updated());
        record("unchanged", counts.unchanged());
        record("deleted", counts.deleted());
        record("archived", counts.archived());
        record("errors", counts.errors());
        meters.timer("tributary.sync.run.duration", "status", ending.status())
                .record(Duration.between(run.startedAt(), Instant.now()));
    }

    private void record(String outcome, long count) {
        if (count > 0) {
            meters.counter("tributary.sync.records", "outcome", outcome).increment(count);
        }
    }

    private void failAtOnce(SyncRun run, boolean recovering, String error) {
        runs.start(run, configuration.effectiveNodeId(), recovering).ifPresent(started ->
                queue.settle(runs.request(started), started, new SyncOutcome.Failed(RunCounts.ZERO, error)));
    }
}
