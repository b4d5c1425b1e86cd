package dev.tributary.api.filter;

import dev.tributary.scheduler.filter.SavedFilterDefinition;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/**
 * The body of {@code POST /api/saved-filters}. Every member is nullable here so that a missing one is refused
 * by scheduler's {@code SavedFilters} naming it, as a wrong one is; the document marks the required ones.
 */
@Schema(name = "SavedFilterCreate", description = "A new saved filter: its name, the source app and collection"
        + " whose records it picks, the target app (a destination) and collection they are for, and the filter.")
@Serdeable
record SavedFilterCreate(
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false, minLength = 1,
                maxLength = 200, example = "Active electronics",
                description = "unique among the owner's filters; surrounding spaces are dropped") String name,
        @Nullable @Schema(nullable = false, maxLength = 2000) String description,
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false,
                pattern = SavedFilterView.KEY_PATTERN, example = "shop",
                description = "the app whose records it picks; it must sync `collection`") String sourceAppKey,
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false,
                pattern = SavedFilterView.KEY_PATTERN, example = "products",
                description = "one of the source app's collections") String collection,
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false,
                pattern = SavedFilterView.KEY_PATTERN, example = "crm",
                description = "the app the records are for: its connector must write records (a destination)")
        String targetAppKey,
        @Nullable @Schema(nullable = false, pattern = SavedFilterView.KEY_PATTERN,
                description = "a collection the target app writes; may be left out when it writes only one")
        String targetCollection,
        @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false,
                additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = SavedFilterView.FILTER_CONFIG_DESCRIPTION) Map<String, Object> filterConfig) {

    SavedFilterDefinition definition() {
        return new SavedFilterDefinition(name, description, sourceAppKey, collection, targetAppKey, targetCollection,
                filterConfig);
    }
}
