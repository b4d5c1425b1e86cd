package dev.tributary.api.synclist;

import dev.tributary.db.synclist.SyncListSchedule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** A tenant's sync list schedule as stored. */
@Schema(name = "SyncListSchedule", description = "When the tenant's active sync list items are pushed by"
        + " themselves: delta pushes, one run per owner and target app.")
@Serdeable
record SyncListScheduleView(String cron, String timezone, boolean enabled, Instant updatedAt) {

    static SyncListScheduleView of(SyncListSchedule schedule) {
        return new SyncListScheduleView(schedule.cron(), schedule.timezone(), schedule.enabled(), schedule.updatedAt());
    }
}
