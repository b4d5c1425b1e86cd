package dev.tributary.api.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** An app's {@code schedule} in a request: when it syncs by itself; absent members keep the app's (or the defaults). */
@Serdeable
public record ScheduleSettings(
        @Nullable @Schema(nullable = false, example = "0 6 * * 1-5",
                description = "standard 5-field cron, read on the zone's wall clock") String cron,
        @Nullable @Schema(nullable = false, example = "America/Toronto",
                description = "IANA time zone (default UTC)") String timezone,
        @Nullable @Schema(nullable = false, allowableValues = {"full", "incremental"},
                description = "what a firing runs (default incremental)") String mode,
        @Nullable @Schema(nullable = false, description = "a new app with a cron runs on it unless this is false")
        Boolean enabled) {
}
