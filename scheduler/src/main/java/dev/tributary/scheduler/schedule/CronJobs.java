package dev.tributary.scheduler.schedule;

import jakarta.inject.Singleton;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

import java.util.Map;
import java.util.Set;

/**
 * Durable Quartz jobs fired by a {@link CronSchedule} — an app's schedule, a tenant's sync list schedule: one
 * job and one {@link DstCronTrigger} of the same name, in the clustered store. Both calls join the caller's
 * transaction (Quartz's JDBC store uses it), so the trigger changes exactly when the row that says so does.
 */
@Singleton
class CronJobs {

    private final Scheduler scheduler;

    CronJobs(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Schedules {@code type} with {@code data} on {@code schedule} as {@code key}, replacing any earlier schedule. */
    void replace(JobKey key, Class<? extends Job> type, Map<String, String> data, CronSchedule schedule) {
        JobDetail job = JobBuilder.newJob(type)
                .withIdentity(key)
                .usingJobData(new JobDataMap(data))
                .storeDurably()
                .build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(key.getName(), key.getGroup())
                .forJob(key)
                .withSchedule(schedule.quartzSchedule())
                .build();
        try {
            scheduler.scheduleJob(job, Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not schedule " + key + ": " + e.getMessage(), e);
        }
    }

    /** Removes the job and its trigger; nothing to do when there is none. */
    void remove(JobKey key) {
        try {
            scheduler.deleteJob(key);
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not unschedule " + key + ": " + e.getMessage(), e);
        }
    }
}
