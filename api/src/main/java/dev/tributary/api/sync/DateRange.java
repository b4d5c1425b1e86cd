package dev.tributary.api.sync;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** Source times from {@code start} to {@code end}, both inclusive and optional, ISO-8601 with offset. */
@Serdeable
public record DateRange(
        @Nullable @Schema(nullable = false, format = "date-time") String start,
        @Nullable @Schema(nullable = false, format = "date-time") String end) {
}
