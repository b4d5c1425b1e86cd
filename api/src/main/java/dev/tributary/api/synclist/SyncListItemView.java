package dev.tributary.api.synclist;

import dev.tributary.db.synclist.ItemStatus;
import dev.tributary.db.synclist.SyncListItem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A sync list item as the API shows it: everything but the hash of the body it last pushed. */
@Schema(name = "SyncListItem", description = "A source record kept in step with a record of a target app. Members"
        + " without a value are absent.")
@Serdeable
record SyncListItemView(
        UUID id,
        @Schema(description = "the credential that listed it (`key:<api key id>` or `jwt:<sub>`)") String owner,
        String sourceAppKey,
        @Schema(description = "the source app's collection") String collection,
        @Schema(description = "the source record's `external_id`") String sourceId,
        String targetAppKey,
        String targetCollection,
        @Nullable @Schema(nullable = false, description = "the target record's id, once a push created it")
        String targetId,
        @Schema(allowableValues = {"delta", "full"}, description = "delta: pushed when its body changed since its"
                + " last push (or never pushed); full: pushed by every push") String syncMode,
        boolean active,
        @Schema(description = "pushed at once when a webhook changes its source record") boolean pushOnChange,
        @Nullable @Schema(nullable = false) Instant lastSyncedAt,
        @Schema(description = "`pending` until its first push") ItemStatus lastSyncStatus,
        @Nullable @Schema(nullable = false, description = "the push run that last handled it") UUID lastSyncId,
        @Nullable @Schema(nullable = false, description = "why its last push failed") String errorMessage,
        @Nullable @Schema(nullable = false, description = "the saved filter it was added from") UUID savedFilterId,
        @Nullable @Schema(nullable = false, additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "that filter's `filter_config` when it was added") Map<String, Object> filterConfig,
        @Nullable @Schema(nullable = false, additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "its own field mapping; absent: the target app's applies")
        Map<String, Object> fieldMapping,
        @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> metadata,
        Instant createdAt,
        Instant updatedAt) {

    static SyncListItemView of(SyncListItem item) {
        return new SyncListItemView(item.id(), item.owner(), item.sourceAppKey(), item.collection(), item.sourceId(),
                item.targetAppKey(), item.targetCollection(), item.targetId(), item.mode().value(), item.active(),
                item.pushOnChange(), item.lastSyncedAt(), item.lastSyncStatus(), item.lastSyncId(),
                item.errorMessage(), item.savedFilterId(), item.filterConfig(), item.fieldMapping(), item.metadata(),
                item.createdAt(), item.updatedAt());
    }
}
