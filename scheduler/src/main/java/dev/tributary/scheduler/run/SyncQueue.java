package dev.tributary.scheduler.run;

import dev.tributary.connector.ConnectorException;
import dev.tributary.db.run.RunKind;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import jakarta.inject.Singleton;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Puts runs on the cluster's queue: a {@code queued} row in {@code sync_runs} and a
 * one-shot Quartz trigger for it, written in one transaction (Quartz's JDBC store
 * joins the caller's transaction), so there is never a run without a trigger nor a
 * trigger without a run. Whichever worker node acquires the trigger runs
 * {@link SyncJob}; the job asks for recovery, so a run whose node dies is fired again
 * on another node.
 */
@Singleton
public class SyncQueue {

    /** The Quartz group of every run's job and triggers; a job is named by its run's id. */
    public static final String GROUP = "sync-runs";
    static final String TENANT = "tenant";
    static final String SYNC_ID = "sync_id";

    private final SyncRuns runs;
    private final Scheduler scheduler;
    private final TenantScope scope;
    private final Clock clock;

    public SyncQueue(SyncRuns runs, Scheduler scheduler, TenantScope scope, Clock clock) {
        this.runs = runs;
        this.scheduler = scheduler;
        this.scope = scope;
        this.clock = clock;
    }

    /** Queues a run of the request and returns its row. */
    public SyncRun enqueue(SyncRequest request, RunTrigger trigger, int maxAttempts, String idempotencyKey) {
        return enqueue(request, RunKind.PULL, null, trigger, maxAttempts, idempotencyKey, List.of());
    }

    /** Queues a run that re-fetches failed records ({@code request.ids()}) and settles them when it ends. */
    public SyncRun enqueueRetry(SyncRequest request, int maxAttempts, List<Long> recordIds) {
        return enqueue(request, RunKind.PULL, null, RunTrigger.RETRY, maxAttempts, null, recordIds);
    }

    /**
     * Queues a push of sync list items ({@code request}: the target app, its collection or null, the mode and
     * the item ids) for their {@code owner}; {@code push/Pushes} builds the request.
     */
    public SyncRun enqueuePush(SyncRequest request, String owner, RunTrigger trigger, int maxAttempts,
                               String idempotencyKey) {
        return enqueue(request, RunKind.PUSH, owner, trigger, maxAttempts, idempotencyKey, List.of());
    }

    /**
     * Queues a finished run's request again as a new run, by hand: a pull (one that retried failed records
     * retries them again) or a push of the same items for the same owner.
     */
    public SyncRun rerun(SyncRun run, int maxAttempts) {
        SyncRequest request = runs.request(run);
        if (run.kind() == RunKind.PUSH) {
            return enqueuePush(request, run.owner(), RunTrigger.MANUAL, maxAttempts, null);
        }
        List<Long> retried = run.request().retryRecords();
        return retried.isEmpty() ? enqueue(request, RunTrigger.MANUAL, maxAttempts, null)
                : enqueueRetry(request, maxAttempts, retried);
    }

    private SyncRun enqueue(SyncRequest request, RunKind kind, String owner, RunTrigger trigger, int maxAttempts,
                            String idempotencyKey, List<Long> retryRecords) {
        return scope.write(request.tenant(), () -> {
            SyncRun run = runs.queue(request, kind, owner, trigger, maxAttempts, idempotencyKey, retryRecords);
            JobDetail job = JobBuilder.newJob(SyncJob.class)
                    .withIdentity(jobKey(run.id()))
                    .usingJobData(TENANT, run.tenantId())
                    .usingJobData(SYNC_ID, run.id().toString())
                    .requestRecovery(true)
                    .build();
            schedule(() -> scheduler.scheduleJob(job, firing(run.id(), Duration.ZERO)));
            return run;
        });
    }

    /**
     * Fires the run's job again after {@code delay} (its target was busy). Nothing to do when
     * the job is gone: the run was cancelled meanwhile.
     */
    public void fireAgain(TenantId tenant, UUID runId, Duration delay) {
        scope.write(tenant, () -> {
            schedule(() -> scheduler.checkExists(jobKey(runId)) ? scheduler.scheduleJob(firing(runId, delay)) : null);
            return null;
        });
    }

    /**
     * Records how an execution ended and, when a retry is due, schedules it — in one
     * transaction, so a run waiting for its next attempt always has the trigger for it.
     * Empty when the execution was no longer the run's current one (nothing changed).
     */
    public Optional<SyncRuns.Ending> settle(SyncRequest request, SyncRun run, SyncOutcome outcome) {
        return scope.write(request.tenant(), () -> {
            Optional<SyncRuns.Ending> ending = runs.finish(request, run, outcome);
            ending.map(SyncRuns.Ending::nextAttemptAt).ifPresent(next ->
                    schedule(() -> scheduler.scheduleJob(firing(run.id(), Duration.between(clock.instant(), next)))));
            return ending;
        });
    }

    /**
     * Puts a run whose execution stopped for a node's shutdown back on the queue, firing at once:
     * the next worker resumes it from its last committed page. The interrupted attempt is kept,
     * with {@code reason}. False when that execution was no longer the run's current one.
     */
    public boolean handBack(SyncRun run, String reason) {
        return scope.write(new TenantId(run.tenantId()), () -> {
            boolean handedBack = runs.handBack(run, reason);
            if (handedBack) {
                schedule(() -> scheduler.scheduleJob(firing(run.id(), Duration.ZERO)));
            }
            return handedBack;
        });
    }

    /** What a cancel did. */
    public enum Cancellation { CANCELLED, STOPPING, ALREADY_FINISHED }

    /**
     * Cancels a run: one still waiting (queued, or for a retry) is cancelled at once and its
     * trigger removed; a running one is asked to stop at its next batch boundary.
     */
    public Cancellation cancel(SyncRun run) {
        return scope.write(new TenantId(run.tenantId()), () -> {
            if (runs.cancelWaiting(run)) {
                // Its pending triggers go; one a worker is firing right now ends by itself (the run is
                // cancelled, so the job does nothing), and the job goes with its last trigger.
                schedule(() -> {
                    for (var trigger : scheduler.getTriggersOfJob(jobKey(run.id()))) {
                        scheduler.unscheduleJob(trigger.getKey());
                    }
                    return null;
                });
                return Cancellation.CANCELLED;
            }
            return runs.requestCancel(run) ? Cancellation.STOPPING : Cancellation.ALREADY_FINISHED;
        });
    }

    static JobKey jobKey(UUID runId) {
        return new JobKey(runId.toString(), GROUP);
    }

    private Trigger firing(UUID runId, Duration delay) {
        return TriggerBuilder.newTrigger()
                .withIdentity(runId + "/" + UUID.randomUUID(), GROUP)
                .forJob(jobKey(runId))
                .startAt(Date.from(clock.instant().plus(delay)))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
    }

    private interface Scheduling {
        Object run() throws SchedulerException;
    }

    /** Runs a scheduler call (whose answer does not matter here), failing the caller's transaction if it fails. */
    private static void schedule(Scheduling scheduling) {
        try {
            scheduling.run();
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not schedule the run: " + ConnectorException.describe(e), e);
        }
    }
}
