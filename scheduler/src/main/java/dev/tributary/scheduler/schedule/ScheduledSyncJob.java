package dev.tributary.scheduler.schedule;

import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.run.SyncQueue;
import dev.tributary.tenancy.TenantId;
import jakarta.inject.Singleton;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app's schedule firing: queues a run of all the app's collections in the
 * schedule's mode (incremental unless the schedule says full), like a manual trigger
 * with trigger "schedule". The run then waits for its target like any other.
 */
@Singleton
public class ScheduledSyncJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledSyncJob.class);

    private final SyncQueue queue;
    private final Apps apps;

    ScheduledSyncJob(SyncQueue queue, Apps apps) {
        this.queue = queue;
        this.apps = apps;
    }

    @Override
    public void execute(JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        TenantId tenant = new TenantId(data.getString(AppSchedules.TENANT));
        String appKey = data.getString(AppSchedules.APP_KEY);
        RunMode mode = RunMode.pull(data.getString(AppSchedules.MODE)).orElse(RunMode.INCREMENTAL);
        try {
            apps.load(tenant, appKey).ifPresentOrElse(
                    app -> queue.enqueue(new SyncRequest(tenant, appKey, null, mode, false, false), RunTrigger.SCHEDULE,
                            app.maxAttempts(), null),
                    () -> LOG.warn("Schedule of {}/{} fired but the app is gone", tenant.value(), appKey));
        } catch (RuntimeException e) {
            LOG.error("Schedule of {}/{} could not queue its run", tenant.value(), appKey, e);
        }
    }
}
