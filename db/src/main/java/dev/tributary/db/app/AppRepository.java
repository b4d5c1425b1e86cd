package dev.tributary.db.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code apps} table; every method takes the tenant first and runs inside a tenant scope. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AppRepository extends GenericRepository<App, String> {

    /** Stores a new app: false when the tenant has one with its key already (another request may just have made it). */
    default boolean insertIfAbsent(App app) {
        return insertIfAbsent(app.tenantId(), app.appKey(), app.connector(), app.name(), app.config(),
                app.credentialsEnc(), app.syncFrom(), app.scheduleCron(), app.scheduleTimezone(), app.scheduleMode(),
                app.scheduleEnabled(), app.retryMaxAttempts(), app.alerts(), app.createdAt(), app.updatedAt()) == 1;
    }

    @Query(value = "INSERT INTO apps (tenant_id, app_key, connector, name, config, credentials_enc, sync_from,"
            + " schedule_cron, schedule_timezone, schedule_mode, schedule_enabled, retry_max_attempts, alert_config,"
            + " created_at, updated_at) VALUES (:tenantId, :appKey, :connector, :name, CAST(:config AS jsonb),"
            + " :credentialsEnc, :syncFrom, :scheduleCron, :scheduleTimezone, :scheduleMode, :scheduleEnabled,"
            + " :retryMaxAttempts, CAST(:alerts AS jsonb), :createdAt, :updatedAt)"
            + " ON CONFLICT (tenant_id, app_key) DO NOTHING", nativeQuery = true)
    int insertIfAbsent(String tenantId, String appKey, String connector, String name,
                       @TypeDef(type = DataType.JSON) Map<String, Object> config, @Nullable byte[] credentialsEnc,
                       @Nullable Instant syncFrom, @Nullable String scheduleCron, @Nullable String scheduleTimezone,
                       String scheduleMode, boolean scheduleEnabled, int retryMaxAttempts,
                       @TypeDef(type = DataType.JSON) AlertSettings alerts, Instant createdAt, Instant updatedAt);

    Optional<App> findByTenantIdAndAppKey(String tenantId, String appKey);

    /**
     * The app, its row locked until the transaction ends: a PATCH reads, merges and writes it with no other
     * PATCH or DELETE in between, and a DELETE holds it before looking at its targets' locks, so a sync that
     * has yet to make its lock rows waits for the delete rather than making rows the delete would wait for.
     */
    @Query(value = "SELECT * FROM apps WHERE tenant_id = :tenantId AND app_key = :appKey FOR UPDATE", nativeQuery = true)
    Optional<App> findLocked(String tenantId, String appKey);

    boolean existsByTenantIdAndAppKey(String tenantId, String appKey);

    @Query(value = "SELECT * FROM apps WHERE tenant_id = :tenantId ORDER BY created_at DESC, app_key DESC"
            + " LIMIT :limit OFFSET :offset", nativeQuery = true)
    List<App> list(String tenantId, int limit, long offset);

    long countByTenantId(String tenantId);

    /** Writes every member but the app's identity (tenant, key, connector) and its creation time. */
    @Query(value = "UPDATE apps SET name = :name, config = CAST(:config AS jsonb), credentials_enc = :credentialsEnc,"
            + " sync_from = :syncFrom, schedule_cron = :scheduleCron, schedule_timezone = :scheduleTimezone,"
            + " schedule_mode = :scheduleMode, schedule_enabled = :scheduleEnabled,"
            + " retry_max_attempts = :retryMaxAttempts, alert_config = CAST(:alerts AS jsonb),"
            + " updated_at = :updatedAt WHERE tenant_id = :tenantId AND app_key = :appKey", nativeQuery = true)
    void update(App app);

    /** Removes the app and, explicitly, its entities (which have no foreign key); the rest cascades. */
    @Query(value = "WITH gone AS (DELETE FROM entities WHERE tenant_id = :tenantId AND app_key = :appKey)"
            + " DELETE FROM apps WHERE tenant_id = :tenantId AND app_key = :appKey", nativeQuery = true)
    int delete(String tenantId, String appKey);
}
