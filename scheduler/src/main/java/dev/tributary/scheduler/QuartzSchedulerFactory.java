package dev.tributary.scheduler;

import dev.tributary.scheduler.schedule.DstCronTriggerPersistenceDelegate;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.util.Properties;

/**
 * Builds the node's Quartz scheduler on the clustered JDBC job store in the
 * service's PostgreSQL (tables {@code tributary.qrtz_*}). Every node builds one;
 * {@link SchedulerLifecycle} starts it on worker nodes.
 */
@Factory
class QuartzSchedulerFactory {

    static final String SCHEDULER_NAME = "tributary";

    @Singleton
    Scheduler scheduler(SchedulerConfiguration configuration, DataSource dataSource, DataSourceResolver resolver,
                        BeanContext beans) throws SchedulerException {
        // Quartz looks its data sources up by name. Scheduling calls (a run's trigger, an
        // app's cron trigger) use the caller's transaction — the transaction-aware data source
        // — so a trigger commits or rolls back with the rows that need it (JobStoreCMT). Quartz's
        // own work (acquiring, firing, cluster check-in, recovery) commits on its own
        // connections from the unwrapped pool.
        String callerTransaction = SCHEDULER_NAME + "-" + configuration.effectiveNodeId();
        String ownTransactions = callerTransaction + "-own";
        DBConnectionManager.getInstance().addConnectionProvider(callerTransaction,
                new PooledConnectionProvider(dataSource));
        DBConnectionManager.getInstance().addConnectionProvider(ownTransactions,
                new PooledConnectionProvider(resolver.resolve(dataSource)));

        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        properties.setProperty("org.quartz.scheduler.instanceId", configuration.effectiveNodeId());
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(configuration.threads()));
        properties.setProperty("org.quartz.threadPool.threadNamePrefix", "sync-worker");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreCMT");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        // App schedules are DstCronTriggers, stored as type DST_CRON by their own delegate.
        properties.setProperty("org.quartz.jobStore.driverDelegateInitString", "triggerPersistenceDelegateClasses="
                + DstCronTriggerPersistenceDelegate.class.getName());
        properties.setProperty("org.quartz.jobStore.tablePrefix", "tributary.qrtz_");
        properties.setProperty("org.quartz.jobStore.dataSource", callerTransaction);
        properties.setProperty("org.quartz.jobStore.nonManagedTXDataSource", ownTransactions);
        properties.setProperty("org.quartz.jobStore.dontSetAutoCommitFalse", "true");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                Long.toString(configuration.checkinInterval()));
        // Row locks (SELECT ... FOR UPDATE on qrtz_locks) serialize trigger acquisition across nodes.
        properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        properties.setProperty("org.quartz.jobStore.useProperties", "true");
        // An idle node looks for due triggers this often: a run queued on another node waits at most this long.
        properties.setProperty("org.quartz.scheduler.idleWaitTime", Long.toString(configuration.idleWait().toMillis()));
        // After a database failure Quartz waits this long before it acquires triggers or records a job's
        // end again (its default, 15 s, would idle every worker that long after a database restart).
        properties.setProperty("org.quartz.jobStore.dbRetryInterval", Long.toString(configuration.idleWait().toMillis()));
        Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
        // Quartz keeps schedulers in a JVM-wide registry by name, and every node shares the
        // name "tributary"; forget this one there so several nodes can live in one JVM (tests).
        SchedulerRepository.getInstance().remove(SCHEDULER_NAME);
        scheduler.setJobFactory(new BeanJobFactory(beans));
        return scheduler;
    }
}
