package dev.tributary.api.synclist;

import dev.tributary.scheduler.synclist.SyncListItemChange;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/**
 * The body of {@code PATCH /api/sync-list/{id}}: each member given replaces the item's. What the item pushes and
 * where to are not members (another record or target is another item), so naming them is a 400.
 */
@Schema(name = "SyncListItemUpdate", description = "What a PATCH changes: each member given replaces the item's,"
        + " an absent one leaves it as it is. Any other member: 400.")
@Serdeable
record SyncListItemUpdate(
        @Nullable @Schema(nullable = false, allowableValues = {"delta", "full"}) String syncMode,
        @Nullable @Schema(nullable = false) Boolean active,
        @Nullable @Schema(nullable = false) Boolean pushOnChange,
        @Nullable @Schema(nullable = false, additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "target field → JSON pointer into the source or `{\"const\": value}`")
        Map<String, Object> fieldMapping,
        @Nullable @Schema(nullable = false, additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
        Map<String, Object> metadata) {

    SyncListItemChange change() {
        return new SyncListItemChange(syncMode, active, pushOnChange, fieldMapping, metadata);
    }
}
