package dev.tributary.scheduler.schedule;

import dev.tributary.tenancy.TenantId;
import jakarta.inject.Singleton;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

import java.util.Set;

/**
 * Keeps each app's schedule as a Quartz cron trigger ({@link DstCronTrigger}: read on the zone's
 * wall clock, DST-correct, a misfire fires once):
 * {@link #apply} after an app is created or changed, {@link #remove} when it is deleted.
 * Both join the caller's transaction, so the trigger changes exactly when the app row does.
 */
@Singleton
public class AppSchedules {

    static final String GROUP = "app-schedules";
    static final String TENANT = "tenant";
    static final String APP_KEY = "app_key";
    static final String MODE = "mode";

    private final Scheduler scheduler;

    public AppSchedules(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Schedules the app's runs, replacing any earlier schedule; a disabled or absent schedule removes it. */
    public void apply(TenantId tenant, String appKey, String cron, String timezone, String mode, boolean enabled) {
        if (!enabled || cron == null) {
            remove(tenant, appKey);
            return;
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(cron, timezone);
        } catch (CronSchedule.InvalidSchedule e) {
            throw new IllegalArgumentException("app " + appKey + " has an invalid schedule: " + e.getMessage(), e);
        }
        JobKey key = jobKey(tenant, appKey);
        JobDetail job = JobBuilder.newJob(ScheduledSyncJob.class)
                .withIdentity(key)
                .usingJobData(TENANT, tenant.value())
                .usingJobData(APP_KEY, appKey)
                .usingJobData(MODE, mode)
                .storeDurably()
                .build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(key.getName(), GROUP)
                .forJob(key)
                .withSchedule(schedule.quartzSchedule())
                .build();
        try {
            scheduler.scheduleJob(job, Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not schedule app " + appKey + ": " + e.getMessage(), e);
        }
    }

    public void remove(TenantId tenant, String appKey) {
        try {
            scheduler.deleteJob(jobKey(tenant, appKey));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not unschedule app " + appKey + ": " + e.getMessage(), e);
        }
    }

    /** The job of an app's schedule: tenant and app key, which neither contains '/'. */
    public static JobKey jobKey(TenantId tenant, String appKey) {
        return new JobKey(tenant.value() + "/" + appKey, GROUP);
    }
}
