package dev.tributary.api.sync;

import dev.tributary.api.docs.TenantApi;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The body of {@code POST /api/sync}. Only {@code app_key} is required; {@code mode}
 * defaults to incremental. {@code ids} re-fetch exactly those records; {@code filters}
 * narrow what is applied; either makes a targeted run, which never deletes.
 */
@Schema(name = "SyncTrigger", description = "What to sync. Only `app_key` is required. `ids` re-fetch exactly those"
        + " records and `filters` narrow what is applied; either makes a targeted run, which never deletes.")
@Serdeable
public record SyncTriggerRequest(
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false,
                pattern = TenantApi.KEY_PATTERN, example = "orders") String appKey,
        @Nullable @Schema(nullable = false, pattern = TenantApi.KEY_PATTERN,
                description = "one of the app's collections (default: all of them)") String collection,
        @Nullable @Schema(nullable = false, allowableValues = {"full", "incremental"},
                description = "default incremental (full when the collection was never synced)") String mode,
        @Nullable @Schema(nullable = false, description = "fetch, normalize and diff, but write nothing;"
                + " the run's `preview` shows what would change") Boolean dryRun,
        @Nullable @Schema(nullable = false, description = "let a full sync delete more than the deletion"
                + " guard's share of a collection") Boolean forceDeletions,
        @Nullable @Schema(nullable = false) SyncFilters filters,
        @Nullable @ArraySchema(maxItems = SyncTriggers.MAX_IDS, schema = @Schema(minLength = 1, maxLength = 255),
                arraySchema = @Schema(nullable = false, description = "re-fetch exactly these records (needs"
                        + " `collection` when the app has several)")) List<String> ids,
        @Nullable @Schema(nullable = false, minLength = 1, maxLength = 255, description = "the same as the"
                + " `Idempotency-Key` header (both, different: 400)") String idempotencyKey) {
}
