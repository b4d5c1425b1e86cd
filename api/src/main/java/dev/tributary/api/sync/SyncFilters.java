package dev.tributary.api.sync;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** A trigger's {@code filters}: which of the fetched records are applied. */
@Serdeable
public record SyncFilters(
        @Nullable @ArraySchema(maxItems = SyncTriggers.MAX_STATUSES, schema = @Schema(minLength = 1),
                arraySchema = @Schema(nullable = false, description = "only records whose source status is one"
                        + " of these")) List<String> status,
        @Nullable @Schema(nullable = false) DateRange dateRange) {
}
