package dev.tributary.db.synclist;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

/** The {@code sync_list_schedule} table: at most one row a tenant; every method takes the tenant first and runs inside its scope. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SyncListScheduleRepository extends GenericRepository<SyncListSchedule, String> {

    Optional<SyncListSchedule> findById(String tenantId);

    /** Stores the tenant's schedule, replacing the one it had. */
    @Query(value = "INSERT INTO sync_list_schedule (tenant_id, cron, timezone, enabled, updated_at)"
            + " VALUES (:tenantId, :cron, :timezone, :enabled, :updatedAt)"
            + " ON CONFLICT (tenant_id) DO UPDATE SET cron = EXCLUDED.cron, timezone = EXCLUDED.timezone,"
            + " enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at", nativeQuery = true)
    void upsert(String tenantId, String cron, String timezone, boolean enabled, Instant updatedAt);

    /** Removes the tenant's schedule; 0 when it had none. */
    @Query(value = "DELETE FROM sync_list_schedule WHERE tenant_id = :tenantId", nativeQuery = true)
    int delete(String tenantId);
}
