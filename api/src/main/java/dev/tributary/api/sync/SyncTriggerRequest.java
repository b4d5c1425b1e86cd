package dev.tributary.api.sync;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The body of {@code POST /api/sync}. Only {@code app_key} is required; {@code mode}
 * defaults to incremental. {@code ids} re-fetch exactly those records; {@code filters}
 * narrow what is applied; either makes a targeted run, which never deletes.
 */
@Serdeable
public record SyncTriggerRequest(@Nullable String appKey, @Nullable String collection, @Nullable String mode,
                                 @Nullable Boolean dryRun, @Nullable Boolean forceDeletions,
                                 @Nullable Filters filters, @Nullable List<String> ids,
                                 @Nullable String idempotencyKey) {

    @Serdeable
    public record Filters(@Nullable List<String> status, @Nullable DateRange dateRange) {
    }

    /** Source times from {@code start} to {@code end}, both inclusive and optional, ISO-8601 with offset. */
    @Serdeable
    public record DateRange(@Nullable String start, @Nullable String end) {
    }
}
