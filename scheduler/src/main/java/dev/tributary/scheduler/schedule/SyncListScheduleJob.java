package dev.tributary.scheduler.schedule;

import dev.tributary.scheduler.push.ScheduledPushes;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantRepository;
import jakarta.inject.Singleton;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * A tenant's sync list schedule firing: queues its active items as delta push runs, one per owner and target
 * app ({@link ScheduledPushes}); the workers then push them like any other run. A disabled tenant's schedule
 * stays but pushes nothing, as its credentials are refused too.
 */
@Singleton
public class SyncListScheduleJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(SyncListScheduleJob.class);

    private final ScheduledPushes pushes;
    private final TenantRepository tenants;

    SyncListScheduleJob(ScheduledPushes pushes, TenantRepository tenants) {
        this.pushes = pushes;
        this.tenants = tenants;
    }

    @Override
    public void execute(JobExecutionContext context) {
        TenantId tenant = new TenantId(context.getMergedJobDataMap().getString(SyncListSchedules.TENANT));
        try {
            if (tenants.findById(tenant.value()).filter(found -> !found.disabled()).isEmpty()) {
                LOG.info("Sync list schedule of {} fired but the tenant is disabled or gone", tenant.value());
                return;
            }
            List<ScheduledPushes.Queued> queued = pushes.queue(tenant);
            LOG.info("Sync list schedule of {} queued {} push runs", tenant.value(),
                    queued.stream().filter(group -> group.run() != null).count());
        } catch (RuntimeException e) {
            LOG.error("Sync list schedule of {} could not queue its pushes", tenant.value(), e);
        }
    }
}
