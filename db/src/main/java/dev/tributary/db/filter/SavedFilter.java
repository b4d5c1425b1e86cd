package dev.tributary.db.filter;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A saved filter (seed 004's saved search pattern), a row of {@code saved_filters}: which records of a source
 * app's collection it picks ({@code filterConfig}, {@link FilterConfig#asMap}'s form) and the target app and
 * collection they are meant for. It belongs to {@code owner}, the credential that made it.
 */
@MappedEntity("saved_filters")
public record SavedFilter(
        String tenantId,
        @Id UUID id,
        String owner,
        String name,
        @Nullable String description,
        String sourceAppKey,
        String collectionKey,
        String targetAppKey,
        String targetCollection,
        @TypeDef(type = DataType.JSON) Map<String, Object> filterConfig,
        Instant createdAt,
        Instant updatedAt) {

    /** The stored filter, read as a request's is (it was stored from one). */
    public FilterConfig filter() {
        return FilterConfig.parse(filterConfig, "filter_config");
    }
}
