package dev.tributary.scheduler.schedule;

import dev.tributary.tenancy.TenantId;
import jakarta.inject.Singleton;
import org.quartz.JobKey;

import java.util.Map;

/**
 * Keeps each app's schedule as a Quartz cron trigger ({@link DstCronTrigger}: read on the zone's
 * wall clock, DST-correct, a misfire fires once):
 * {@link #apply} after an app is created or changed, {@link #remove} when it is deleted.
 * Both join the caller's transaction ({@link CronJobs}), so the trigger changes exactly when the app row does.
 */
@Singleton
public class AppSchedules {

    static final String GROUP = "app-schedules";
    static final String TENANT = "tenant";
    static final String APP_KEY = "app_key";
    static final String MODE = "mode";

    private final CronJobs cronJobs;

    AppSchedules(CronJobs cronJobs) {
        this.cronJobs = cronJobs;
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
        cronJobs.replace(jobKey(tenant, appKey), ScheduledSyncJob.class,
                Map.of(TENANT, tenant.value(), APP_KEY, appKey, MODE, mode), schedule);
    }

    public void remove(TenantId tenant, String appKey) {
        cronJobs.remove(jobKey(tenant, appKey));
    }

    /** The job of an app's schedule: tenant and app key, which neither contains '/'. */
    public static JobKey jobKey(TenantId tenant, String appKey) {
        return new JobKey(tenant.value() + "/" + appKey, GROUP);
    }
}
