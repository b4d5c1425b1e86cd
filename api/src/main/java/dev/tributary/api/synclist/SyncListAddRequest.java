package dev.tributary.api.synclist;

import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.request.UuidText;
import dev.tributary.scheduler.synclist.SavedFilterItems;
import dev.tributary.scheduler.synclist.SyncListItemDefinition;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of {@code POST /api/sync-list}: one item (its source record and target), or, with
 * {@code saved_filter_id}, every current match of that saved filter — never both.
 */
@Schema(name = "SyncListAdd", description = "One item (`source_app_key`, `collection`, `source_id`,"
        + " `target_app_key` and the optional members), or every current match of a saved filter (`saved_filter_id`"
        + " with `sync_mode`, `push_on_change`, `field_mapping`); mixing the two: 400.")
@Serdeable
record SyncListAddRequest(
        @Nullable @Schema(nullable = false, pattern = TenantApi.KEY_PATTERN, description = "the app the record is"
                + " synced from") String sourceAppKey,
        @Nullable @Schema(nullable = false, pattern = TenantApi.KEY_PATTERN, description = "the source app's"
                + " collection") String collection,
        @Nullable @Schema(nullable = false, minLength = 1, maxLength = 255, description = "the source record's"
                + " `external_id`: synced and not archived") String sourceId,
        @Nullable @Schema(nullable = false, pattern = TenantApi.KEY_PATTERN, description = "a destination app")
        String targetAppKey,
        @Nullable @Schema(nullable = false, pattern = TenantApi.KEY_PATTERN, description = "one the target app"
                + " writes (default: its only one)") String targetCollection,
        @Nullable @Schema(nullable = false, allowableValues = {"delta", "full"}, description = "default delta")
        String syncMode,
        @Nullable @Schema(nullable = false, description = "default true") Boolean active,
        @Nullable @Schema(nullable = false, description = "push at once when a webhook changes the source record"
                + " (default false)") Boolean pushOnChange,
        @Nullable @Schema(nullable = false, additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "target field → JSON pointer into the source (`\"/email\"`) or `{\"const\": value}`"
                        + " (default: the target app's mapping)") Map<String, Object> fieldMapping,
        @Nullable @Schema(nullable = false, additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "anything to keep with the item (default {})") Map<String, Object> metadata,
        @Nullable @Schema(nullable = false, format = "uuid", description = "add every current match of this saved"
                + " filter, to its target") String savedFilterId) {

    /** Whether this adds a saved filter's matches rather than one item. */
    boolean fromFilter() {
        return savedFilterId != null;
    }

    /** The one item it gives. */
    SyncListItemDefinition item() {
        return new SyncListItemDefinition(sourceAppKey, collection, sourceId, targetAppKey, targetCollection, syncMode,
                active, pushOnChange, fieldMapping, metadata);
    }

    /** The saved filter's matches it asks for; a member of a single item beside it is a 400 naming them. */
    SavedFilterItems filterItems() {
        List<String> mixed = new ArrayList<>();
        addIfGiven(mixed, "source_app_key", sourceAppKey);
        addIfGiven(mixed, "collection", collection);
        addIfGiven(mixed, "source_id", sourceId);
        addIfGiven(mixed, "target_app_key", targetAppKey);
        addIfGiven(mixed, "target_collection", targetCollection);
        addIfGiven(mixed, "active", active);
        addIfGiven(mixed, "metadata", metadata);
        if (!mixed.isEmpty()) {
            throw ApiProblem.invalidField(mixed.get(0), "cannot be given with saved_filter_id (the filter says"
                    + " which records and where they go); drop " + String.join(", ", mixed));
        }
        UUID id = UuidText.parse(savedFilterId).orElseThrow(() -> ApiProblem.invalidField("saved_filter_id",
                "must be a UUID"));
        return new SavedFilterItems(id, syncMode, pushOnChange, fieldMapping);
    }

    private static void addIfGiven(List<String> names, String name, @Nullable Object value) {
        if (value != null) {
            names.add(name);
        }
    }
}
