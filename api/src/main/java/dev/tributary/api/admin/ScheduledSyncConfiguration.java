package dev.tributary.api.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;

import java.time.Duration;

/**
 * {@code tributary.sync-list.scheduled-sync-wait}: how long the operator's scheduled sync waits for its push
 * runs to end when the request does not say (0 to {@value #LONGEST_WAIT_SECONDS} seconds).
 */
@ConfigurationProperties("tributary.sync-list")
@Context // checked at start-up: a bad wait stops the service, not its first scheduled sync
public record ScheduledSyncConfiguration(Duration scheduledSyncWait) {

    static final int LONGEST_WAIT_SECONDS = 600;

    public ScheduledSyncConfiguration {
        if (scheduledSyncWait == null || scheduledSyncWait.isNegative()
                || scheduledSyncWait.compareTo(Duration.ofSeconds(LONGEST_WAIT_SECONDS)) > 0) {
            throw new IllegalArgumentException("tributary.sync-list.scheduled-sync-wait must be from 0s to "
                    + LONGEST_WAIT_SECONDS + "s, not " + scheduledSyncWait);
        }
    }
}
