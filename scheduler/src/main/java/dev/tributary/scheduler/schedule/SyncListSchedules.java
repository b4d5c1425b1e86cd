package dev.tributary.scheduler.schedule;

import dev.tributary.db.synclist.SyncListSchedule;
import dev.tributary.db.synclist.SyncListScheduleRepository;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import jakarta.inject.Singleton;
import org.quartz.JobKey;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's sync list schedule: its {@code sync_list_schedule} row and, while enabled, a Quartz cron trigger
 * ({@link DstCronTrigger}, like an app's schedule) whose firing pushes the tenant's active items
 * ({@link SyncListScheduleJob}). Row and trigger change in one transaction, so they never disagree.
 */
@Singleton
public class SyncListSchedules {

    static final String GROUP = "sync-list-schedules";
    static final String TENANT = "tenant";

    private final SyncListScheduleRepository rows;
    private final CronJobs cronJobs;
    private final TenantScope scope;
    private final Clock clock;

    SyncListSchedules(SyncListScheduleRepository rows, CronJobs cronJobs, TenantScope scope, Clock clock) {
        this.rows = rows;
        this.cronJobs = cronJobs;
        this.scope = scope;
        this.clock = clock;
    }

    public Optional<SyncListSchedule> get(TenantId tenant) {
        return scope.read(tenant, () -> rows.findById(tenant.value()));
    }

    /** Sets the tenant's schedule, replacing the one it had; a disabled schedule is kept but never fires. */
    public SyncListSchedule put(TenantId tenant, CronSchedule schedule, boolean enabled) {
        return scope.write(tenant, () -> {
            rows.upsert(tenant.value(), schedule.cron(), schedule.zone().getId(), enabled,
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
            if (enabled) {
                cronJobs.replace(jobKey(tenant), SyncListScheduleJob.class, Map.of(TENANT, tenant.value()), schedule);
            } else {
                cronJobs.remove(jobKey(tenant));
            }
            return rows.findById(tenant.value()).orElseThrow();
        });
    }

    /** Removes the tenant's schedule and its trigger; false when it had none. */
    public boolean delete(TenantId tenant) {
        return scope.write(tenant, () -> {
            cronJobs.remove(jobKey(tenant));
            return rows.delete(tenant.value()) == 1;
        });
    }

    /** The job of a tenant's sync list schedule, named by the tenant. */
    public static JobKey jobKey(TenantId tenant) {
        return new JobKey(tenant.value(), GROUP);
    }
}
