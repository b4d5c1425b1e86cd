package dev.tributary.api.filter;

import dev.tributary.api.docs.TenantApi;
import dev.tributary.db.filter.SavedFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A saved filter as the API shows it. */
@Schema(name = "SavedFilter", description = "A saved filter: which records of a source app's collection it picks,"
        + " and the target app and collection they are for. Members without a value are absent.")
@Serdeable
record SavedFilterView(
        UUID id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                description = "the credential that made it: `key:<api key id>` or `jwt:<sub>`") String owner,
        String name,
        @Nullable @Schema(nullable = false, description = "absent when it has none") String description,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = KEY_PATTERN) String sourceAppKey,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = KEY_PATTERN) String collection,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = KEY_PATTERN) String targetAppKey,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = KEY_PATTERN) String targetCollection,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "the filter as stored: `predicates` always, `updated_after` (in UTC) when it has one. "
                        + FILTER_CONFIG_DESCRIPTION) Map<String, Object> filterConfig,
        Instant createdAt,
        Instant updatedAt) {

    static final String KEY_PATTERN = TenantApi.KEY_PATTERN;

    static final String FILTER_CONFIG_DESCRIPTION = "`{\"predicates\": [{\"pointer\": \"/status\", \"in\":"
            + " [\"active\"]}, {\"pointer\": \"/price\", \"gte\": 10, \"lte\": 1000}], \"updated_after\":"
            + " \"2024-01-01T00:00:00Z\"}`: every predicate must hold. A predicate tests the value at its `pointer`"
            + " (RFC 6901, into the record's payload) with one or more of `eq` (equal as JSON), `in` (equal to"
            + " one of a non-empty list), `gte` / `lte` (a number bound compares numbers, a string bound strings),"
            + " `contains` (a string: holds it, ignoring case; a list or object: contains it) and `exists`"
            + " (true or false); at most 50 predicates. `updated_after` (ISO-8601 with offset): only records the"
            + " source last changed after it (a record without a source time: written by a sync after it). Any other member is refused naming it.";

    static SavedFilterView of(SavedFilter filter) {
        return new SavedFilterView(filter.id(), filter.owner(), filter.name(), filter.description(),
                filter.sourceAppKey(), filter.collectionKey(), filter.targetAppKey(), filter.targetCollection(),
                filter.filterConfig(), filter.createdAt(), filter.updatedAt());
    }
}
