package dev.tributary.api.filter;

import dev.tributary.scheduler.filter.SavedFilterChange;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/**
 * The body of {@code PATCH /api/saved-filters/{id}}: what a change may change. Being the whole record, any other
 * member ({@code source_app_key}, {@code collection}, {@code target_app_key}, {@code id}, …) is refused naming it
 * by the strict reading of bodies — a filter for other records is another filter.
 */
@Schema(name = "SavedFilterUpdate", description = "What a PATCH changes: each member given replaces the filter's,"
        + " an absent one leaves it as it is. The source app, collection and target app never change (any other"
        + " member is refused): a filter for other records is another filter.")
@Serdeable
record SavedFilterUpdate(
        @Nullable @Schema(nullable = false, minLength = 1, maxLength = 200) String name,
        @Nullable @Schema(nullable = false, maxLength = 2000) String description,
        @Nullable @Schema(nullable = false, pattern = SavedFilterView.KEY_PATTERN,
                description = "another collection the target app writes") String targetCollection,
        @Nullable @Schema(nullable = false, additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "replaces the whole filter. " + SavedFilterView.FILTER_CONFIG_DESCRIPTION)
        Map<String, Object> filterConfig) {

    SavedFilterChange change() {
        return new SavedFilterChange(name, description, targetCollection, filterConfig);
    }
}
