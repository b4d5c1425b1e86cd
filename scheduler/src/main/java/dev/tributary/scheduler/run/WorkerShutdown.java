package dev.tributary.scheduler.run;

import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.engine.ErrorMessages;
import dev.tributary.scheduler.engine.Pause;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node's shutdown as its running syncs see it. Once requested, they stop at their next
 * page boundary and hand their runs back to the queue, for another node (or this one,
 * restarted) to resume from the last committed page. A sync that does not reach a page
 * boundary before the deadline (its source stalled, say) is handed back without it, so
 * the node can exit: its worker's late writes change nothing (the run is no longer its).
 */
@Singleton
public class WorkerShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerShutdown.class);

    private final AtomicBoolean requested = new AtomicBoolean();
    /** The executions this node is running, by run id; guarded by itself. */
    private final Map<UUID, SyncRun> running = new HashMap<>();
    private final SyncQueue queue;
    private final Pause pause;

    public WorkerShutdown(SyncQueue queue, Pause pause) {
        this.queue = queue;
        this.pause = pause;
    }

    public boolean requested() {
        return requested.get();
    }

    /** An execution began on this node. */
    void started(SyncRun run) {
        synchronized (running) {
            running.put(run.id(), run);
        }
    }

    /** An execution on this node ended (however: recorded, handed back, or given up). */
    void ended(SyncRun run) {
        synchronized (running) {
            running.remove(run.id());
            running.notifyAll();
        }
    }

    /**
     * Asks this node's running syncs to stop at their next page boundary, waits for them up to
     * {@code deadline}, then hands back those still running. Returns when none is left running here.
     */
    public void stopRunningSyncs(Duration deadline) {
        requested.set(true);
        pause.stop();
        // Elapsed time, on the monotonic clock: a wall-clock step must not stretch or cut the deadline.
        long until = System.nanoTime() + deadline.toNanos();
        List<SyncRun> late;
        synchronized (running) {
            try {
                for (long left = until - System.nanoTime(); !running.isEmpty() && left > 0;
                     left = until - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(running, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            late = new ArrayList<>(running.values());
        }
        for (SyncRun run : late) {
            String reason = "its worker did not reach a page boundary within tributary.scheduler.shutdown-timeout ("
                    + ErrorMessages.duration(deadline) + ") of a node's shutdown; handed back, to resume elsewhere";
            try {
                if (queue.handBack(run, reason)) {
                    LOG.warn("Run {} of {}: {}", run.id(), run.appKey(), reason);
                }
            } catch (RuntimeException e) {
                // The run stays running; Quartz's recovery of this node's jobs fires it again elsewhere.
                LOG.error("Run {} could not be handed back at shutdown; another node recovers it", run.id(), e);
            }
            ended(run);
        }
    }
}
