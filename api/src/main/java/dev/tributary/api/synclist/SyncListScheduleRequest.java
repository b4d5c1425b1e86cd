package dev.tributary.api.synclist;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** A tenant's sync list schedule as a PUT gives it: the whole schedule, defaults for what it leaves out. */
@Schema(name = "SyncListScheduleRequest")
@Serdeable
record SyncListScheduleRequest(
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false, example = "0 */6 * * *",
                description = "standard 5-field cron, read on the zone's wall clock") String cron,
        @Nullable @Schema(nullable = false, example = "America/Toronto", description = "IANA time zone (default UTC)")
        String timezone,
        @Nullable @Schema(nullable = false, description = "whether it fires (default true); a disabled schedule is"
                + " kept") Boolean enabled) {
}
