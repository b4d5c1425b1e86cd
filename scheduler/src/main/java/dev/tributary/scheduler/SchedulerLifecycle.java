package dev.tributary.scheduler;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import dev.tributary.scheduler.run.WorkerShutdown;
import jakarta.inject.Singleton;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts executing jobs once the application is up, on worker nodes only. On shutdown
 * it stops taking new ones, asks the running syncs to stop at their next page boundary
 * (they hand their runs back to the queue), waits for them up to the shutdown timeout,
 * hands back those still running, and lets the node go: it never waits for a worker
 * that may never return (a stalled source, a database away).
 */
@Singleton
class SchedulerLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLifecycle.class);

    private final Scheduler scheduler;
    private final SchedulerConfiguration configuration;
    private final WorkerShutdown shutdown;

    SchedulerLifecycle(Scheduler scheduler, SchedulerConfiguration configuration, WorkerShutdown shutdown) {
        this.shutdown = shutdown;
        this.scheduler = scheduler;
        this.configuration = configuration;
    }

    @EventListener
    void onStartup(StartupEvent event) throws SchedulerException {
        if (configuration.worker()) {
            scheduler.start();
            LOG.info("Quartz worker {} started with {} threads", configuration.effectiveNodeId(), configuration.threads());
        } else {
            LOG.info("Quartz worker role off on {}: this node enqueues runs but does not execute them",
                    configuration.effectiveNodeId());
        }
    }

    @EventListener
    void onShutdown(ShutdownEvent event) throws SchedulerException {
        if (!scheduler.isShutdown()) {
            scheduler.standby();
            shutdown.stopRunningSyncs(configuration.shutdownTimeout());
            scheduler.shutdown(false);
        }
    }
}
