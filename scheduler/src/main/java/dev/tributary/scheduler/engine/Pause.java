package dev.tributary.scheduler.engine;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waiting on purpose — a provider's {@code Retry-After}, a database that is away. The
 * wait ends early when the node shuts down, so a graceful shutdown is not held up by it.
 */
@Singleton
public class Pause {

    private final CountDownLatch shutdown = new CountDownLatch(1);

    /** Waits up to {@code duration}; false when cut short by shutdown or interruption. */
    public boolean await(Duration duration) {
        try {
            return !shutdown.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends every wait, now and later: the node is shutting down. */
    public void stop() {
        shutdown.countDown();
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        stop();
    }
}
