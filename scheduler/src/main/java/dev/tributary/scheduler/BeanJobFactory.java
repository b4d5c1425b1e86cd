package dev.tributary.scheduler;

import io.micronaut.context.BeanContext;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.simpl.PropertySettingJobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Quartz jobs that are beans (such as the sync job) come from the context with their dependencies; others as Quartz builds them. */
final class BeanJobFactory extends PropertySettingJobFactory {

    private final BeanContext beans;

    BeanJobFactory(BeanContext beans) {
        this.beans = beans;
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Class<? extends Job> type = bundle.getJobDetail().getJobClass();
        if (beans.containsBean(type)) {
            return beans.getBean(type);
        }
        return super.newJob(bundle, scheduler);
    }
}
