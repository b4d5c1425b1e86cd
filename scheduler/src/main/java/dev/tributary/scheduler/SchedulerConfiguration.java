package dev.tributary.scheduler;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Pattern;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The node's part in the Quartz cluster ({@code tributary.scheduler.*}).
 *
 * @param worker          whether this node executes sync jobs; a node with {@code false} still enqueues them
 * @param nodeId          the Quartz instance id, unique in the cluster ({@code TRIBUTARY_NODE_ID}, default the host name)
 * @param threads         how many syncs this node runs at once
 * @param checkinInterval milliseconds between cluster check-ins; a node silent for longer is considered dead
 *                        and its in-flight jobs are recovered by another
 */
@ConfigurationProperties("tributary.scheduler")
public record SchedulerConfiguration(
        @Bindable(defaultValue = "true") boolean worker,
        @Nullable @Pattern(regexp = "^[A-Za-z0-9._-]{1,100}$", message = "must be 1-100 letters, digits, '.', '_' or '-'")
        String nodeId,
        @Bindable(defaultValue = "4") @Min(1) @Max(64) int threads,
        @Bindable(defaultValue = "7500") @Min(1000) @Max(600000) long checkinInterval) {

    /** The configured node id, or this machine's host name (a pod's name under Kubernetes). */
    public String effectiveNodeId() {
        if (nodeId != null) {
            return nodeId;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot tell the host name; set TRIBUTARY_NODE_ID", e);
        }
    }
}
