package dev.tributary.db.filter;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code saved_filters} table. Every method takes the tenant first and runs inside a tenant scope that
 * names an owner (TenantScope with an Ownership): row-level security then admits that owner's rows only, or
 * the whole tenant's, so no method here filters by owner itself — a row of another owner is simply not there.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SavedFilterRepository extends GenericRepository<SavedFilter, UUID> {

    /** Whether a failed write broke the rule of one name per owner (another request may just have taken it). */
    static boolean nameTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // The table's only other unique key is its random id.
            if (t instanceof SQLException e && "23505".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Stores a new filter: false when its owner has one of that name already. */
    default boolean insertIfAbsent(SavedFilter filter) {
        return insertIfAbsent(filter.tenantId(), filter.id(), filter.owner(), filter.name(), filter.description(),
                filter.sourceAppKey(), filter.collectionKey(), filter.targetAppKey(), filter.targetCollection(),
                filter.filterConfig(), filter.createdAt(), filter.updatedAt()) == 1;
    }

    @Query(value = "INSERT INTO saved_filters (tenant_id, id, owner, name, description, source_app_key, collection_key,"
            + " target_app_key, target_collection, filter_config, created_at, updated_at) VALUES (:tenantId, :id,"
            + " :owner, :name, :description, :sourceAppKey, :collectionKey, :targetAppKey, :targetCollection,"
            + " CAST(:filterConfig AS jsonb), :createdAt, :updatedAt)"
            + " ON CONFLICT (tenant_id, owner, name) DO NOTHING", nativeQuery = true)
    int insertIfAbsent(String tenantId, UUID id, String owner, String name, @Nullable String description,
                       String sourceAppKey, String collectionKey, String targetAppKey, String targetCollection,
                       @TypeDef(type = DataType.JSON) Map<String, Object> filterConfig, Instant createdAt,
                       Instant updatedAt);

    @Query(value = "SELECT * FROM saved_filters WHERE tenant_id = :tenantId AND id = :id", nativeQuery = true)
    Optional<SavedFilter> find(String tenantId, UUID id);

    /** The filter, its row locked until the transaction ends: a PATCH reads, merges and writes it alone. */
    @Query(value = "SELECT * FROM saved_filters WHERE tenant_id = :tenantId AND id = :id FOR UPDATE",
            nativeQuery = true)
    Optional<SavedFilter> findLocked(String tenantId, UUID id);

    /** The visible filters, newest first, optionally of one source app and collection. */
    @Query(value = "SELECT * FROM saved_filters WHERE tenant_id = :tenantId"
            + " AND (CAST(:sourceAppKey AS text) IS NULL OR source_app_key = :sourceAppKey)"
            + " AND (CAST(:collection AS text) IS NULL OR collection_key = :collection)"
            + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset", nativeQuery = true)
    List<SavedFilter> list(String tenantId, @Nullable String sourceAppKey, @Nullable String collection, int limit,
                           long offset);

    @Query(value = "SELECT count(*) FROM saved_filters WHERE tenant_id = :tenantId"
            + " AND (CAST(:sourceAppKey AS text) IS NULL OR source_app_key = :sourceAppKey)"
            + " AND (CAST(:collection AS text) IS NULL OR collection_key = :collection)", nativeQuery = true)
    long count(String tenantId, @Nullable String sourceAppKey, @Nullable String collection);

    /**
     * Writes what a change may change: name, description, target collection, filter and the update time;
     * false when there is no such filter (in this scope). A name its owner already uses fails the statement
     * ({@link #nameTaken}).
     */
    default boolean update(SavedFilter filter) {
        return update(filter.tenantId(), filter.id(), filter.name(), filter.description(), filter.targetCollection(),
                filter.filterConfig(), filter.updatedAt()) == 1;
    }

    @Query(value = "UPDATE saved_filters SET name = :name, description = :description,"
            + " target_collection = :targetCollection, filter_config = CAST(:filterConfig AS jsonb),"
            + " updated_at = :updatedAt WHERE tenant_id = :tenantId AND id = :id", nativeQuery = true)
    int update(String tenantId, UUID id, String name, @Nullable String description, String targetCollection,
               @TypeDef(type = DataType.JSON) Map<String, Object> filterConfig, Instant updatedAt);

    @Query(value = "DELETE FROM saved_filters WHERE tenant_id = :tenantId AND id = :id", nativeQuery = true)
    int delete(String tenantId, UUID id);
}
