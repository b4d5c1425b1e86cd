package dev.tributary.scheduler.run;

import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Set when this node is shutting down: its running syncs stop at their next batch
 * boundary and hand their runs back to the queue, for another node (or this one,
 * restarted) to resume from the last committed page.
 */
@Singleton
public class WorkerShutdown {

    private final AtomicBoolean requested = new AtomicBoolean();

    public void request() {
        requested.set(true);
    }

    public boolean requested() {
        return requested.get();
    }
}
