package dev.tributary.scheduler;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The node's part in the Quartz cluster ({@code tributary.scheduler.*}). The defaults are
 * in the application's {@code application.yml}, not in {@code @Bindable(defaultValue)}:
 * Micronaut falls back to such a default when a value does not convert, which would hide
 * a typo ({@code TRIBUTARY_SCHEDULER_THREADS=many}) instead of stopping start-up.
 *
 * @param worker          whether this node executes sync jobs; a node with {@code false} still enqueues them
 * @param nodeId          the Quartz instance id, unique in the cluster ({@code TRIBUTARY_NODE_ID}; empty or
 *                        absent means the host name)
 * @param threads         how many syncs this node runs at once
 * @param checkinInterval milliseconds between cluster check-ins; a node silent for longer is considered dead
 *                        and its in-flight jobs are recovered by another
 * @param idleWait        how often an idle worker looks for due triggers (Quartz's least is 1 s), and how
 *                        often a worker tries an unreachable database again
 * @param lockRetryDelay  how long a run whose target is busy waits, queued, before it tries again
 * @param retryBaseDelay  the wait before a failed run's second attempt; each later one waits three times
 *                        longer (5m gives about 5 and 15 minutes), with ±20% jitter
 * @param shutdownTimeout how long a node shutting down waits for its running syncs to reach a page
 *                        boundary; then it hands the others back to the queue and exits. Keep it shorter
 *                        than the platform's grace period (Kubernetes: terminationGracePeriodSeconds)
 */
@ConfigurationProperties("tributary.scheduler")
public record SchedulerConfiguration(
        boolean worker,
        @Nullable @Pattern(regexp = "^[A-Za-z0-9._-]{0,100}$", message = "must be up to 100 letters, digits, '.', '_' or '-'")
        String nodeId,
        @Min(1) @Max(64) int threads,
        @Min(1000) @Max(600000) long checkinInterval,
        @NotNull Duration idleWait,
        @NotNull Duration lockRetryDelay,
        @NotNull Duration retryBaseDelay,
        @NotNull Duration shutdownTimeout) {

    public SchedulerConfiguration {
        if (idleWait != null && idleWait.toMillis() < 1000) {
            throw new IllegalArgumentException("tributary.scheduler.idle-wait must be at least 1s");
        }
        if (shutdownTimeout != null && shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("invalid setting tributary.scheduler.shutdown-timeout"
                    + " (TRIBUTARY_SCHEDULER_SHUTDOWN_TIMEOUT): must not be negative");
        }
    }

    /** The configured node id, or this machine's host name (a pod's name under Kubernetes). */
    public String effectiveNodeId() {
        if (nodeId != null && !nodeId.isEmpty()) {
            return nodeId;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot tell the host name; set TRIBUTARY_NODE_ID", e);
        }
    }
}
