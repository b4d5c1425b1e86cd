package dev.tributary.db.synclist;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * When a tenant's active sync list items are pushed on their own: a row of {@code sync_list_schedule}, a
 * standard 5-field cron read in an IANA time zone, like an app's schedule.
 */
@MappedEntity("sync_list_schedule")
public record SyncListSchedule(@Id String tenantId, String cron, String timezone, boolean enabled, Instant updatedAt) {
}
