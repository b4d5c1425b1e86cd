package dev.tributary.db.run;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and writes {@code sync_runs}; every method takes the tenant first and runs inside a tenant scope.
 * Only the scheduler's {@code run/SyncRuns} calls it: it is the one writer of the table.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SyncRunRepository extends GenericRepository<SyncRun, UUID> {

    String FILTER = " WHERE tenant_id = :tenantId"
            + " AND (CAST(:appKey AS text) IS NULL OR app_key = :appKey)"
            + " AND (CAST(:collectionKey AS text) IS NULL OR collection_key = :collectionKey)"
            + " AND (CAST(:status AS text) IS NULL OR status = :status)";

    Optional<SyncRun> findByTenantIdAndId(String tenantId, UUID id);

    @Query(value = "SELECT * FROM sync_runs" + FILTER + " ORDER BY queued_at DESC, id DESC LIMIT :limit OFFSET :offset",
            nativeQuery = true)
    List<SyncRun> list(String tenantId, @Nullable String appKey, @Nullable String collectionKey,
                       @Nullable RunStatus status, int limit, long offset);

    @Query(value = "SELECT count(*) FROM sync_runs" + FILTER, nativeQuery = true)
    long count(String tenantId, @Nullable String appKey, @Nullable String collectionKey, @Nullable RunStatus status);

    SyncRun save(SyncRun run);

    /**
     * Moves a run from one of {@code from} to running on this node; 0 when it was not in any of them.
     * A retry counts as the next attempt.
     */
    @Query(value = "UPDATE sync_runs SET status = 'running', started_at = :startedAt, node_id = :nodeId,"
            + " attempt = CASE WHEN status = 'retry_scheduled' THEN attempt + 1 ELSE attempt END, next_attempt_at = NULL"
            + " WHERE tenant_id = :tenantId AND id = :id AND status = ANY (CAST(:from AS text[]))", nativeQuery = true)
    int start(String tenantId, UUID id, String nodeId, Instant startedAt, String[] from);

    /**
     * Records how an execution ended, and appends it ({@code ended}) to the run's attempts. With status
     * {@code retry_scheduled} (the next attempt is due at {@code nextAttemptAt}) or {@code queued} (handed
     * back by a node shutting down) the run is not complete. Only the execution that is still the run's
     * current one may end it — running, on {@code nodeId}, started at {@code startedAt} — so a worker that
     * wakes up after its attempt was handed back or recovered elsewhere changes nothing (0). The counts are
     * not touched here: each page added its own ({@link #addCounts}).
     */
    @Query(value = "UPDATE sync_runs SET status = :status,"
            + " completed_at = CASE WHEN :status IN ('retry_scheduled', 'queued') THEN NULL"
            + "   ELSE CAST(:completedAt AS timestamptz) END,"
            + " duration_ms = :durationMs, error_message = :errorMessage,"
            + " dry_run_preview = CAST(:dryRunPreview AS jsonb), next_attempt_at = :nextAttemptAt,"
            + " attempts = attempts || jsonb_build_array(CAST(:ended AS jsonb))"
            + " WHERE tenant_id = :tenantId AND id = :id AND status = 'running' AND node_id = :nodeId"
            + " AND started_at = :startedAt", nativeQuery = true)
    int finish(String tenantId, UUID id, String nodeId, Instant startedAt, RunStatus status, Instant completedAt,
               long durationMs, @Nullable String errorMessage,
               @Nullable @TypeDef(type = DataType.JSON) DryRunPreview dryRunPreview, @Nullable Instant nextAttemptAt,
               @TypeDef(type = DataType.JSON) RunAttempt ended);

    /**
     * Adds what one page of a run did (or its deletions) to the run's counts, in the transaction that
     * wrote them: a crash loses both or neither, and every attempt adds to what the earlier ones did.
     */
    @Query(value = "UPDATE sync_runs SET records_total = records_total + :total,"
            + " records_new = records_new + :created, records_updated = records_updated + :updated,"
            + " records_unchanged = records_unchanged + :unchanged, records_deleted = records_deleted + :deleted,"
            + " records_archived = records_archived + :archived, records_errors = records_errors + :errors"
            + " WHERE tenant_id = :tenantId AND id = :id", nativeQuery = true)
    int addCounts(String tenantId, UUID id, long total, long created, long updated, long unchanged, long deleted,
                  long archived, long errors);

    /** Sets a dry run's would-be counts: it writes nothing, so its counts are those of the attempt that ended it. */
    @Query(value = "UPDATE sync_runs SET records_total = :total, records_new = :created,"
            + " records_updated = :updated, records_unchanged = :unchanged, records_deleted = :deleted,"
            + " records_archived = :archived, records_errors = :errors"
            + " WHERE tenant_id = :tenantId AND id = :id AND dry_run", nativeQuery = true)
    int setDryRunCounts(String tenantId, UUID id, long total, long created, long updated, long unchanged,
                        long deleted, long archived, long errors);

    /**
     * Adds a push run's failed item to its {@code item_errors}, which keeps the first {@value #MAX_ITEM_ERRORS}
     * (the count of failures is in {@code records_errors}).
     */
    @Query(value = "UPDATE sync_runs SET item_errors = item_errors"
            + " || jsonb_build_array(jsonb_build_object('item_id', CAST(:itemId AS text), 'error', CAST(:error AS text)))"
            + " WHERE tenant_id = :tenantId AND id = :id AND jsonb_array_length(item_errors) < " + MAX_ITEM_ERRORS,
            nativeQuery = true)
    int addItemError(String tenantId, UUID id, UUID itemId, String error);

    int MAX_ITEM_ERRORS = 100;

    /** Adds a note for the run's reader (a fallback taken, say). */
    @Query(value = "UPDATE sync_runs SET notes = notes || jsonb_build_array(CAST(:note AS text))"
            + " WHERE tenant_id = :tenantId AND id = :id", nativeQuery = true)
    int addNote(String tenantId, UUID id, String note);

    /** Cancels a run no worker has started (queued, or waiting for its next attempt); 0 when it was not waiting. */
    @Query(value = "UPDATE sync_runs SET status = 'cancelled', completed_at = :now, next_attempt_at = NULL,"
            + " error_message = 'cancelled before it ran'"
            + " WHERE tenant_id = :tenantId AND id = :id AND status IN ('queued', 'retry_scheduled')", nativeQuery = true)
    int cancelWaiting(String tenantId, UUID id, Instant now);

    /** Asks a running run to stop at its next batch boundary; 0 when it is not running. */
    @Query(value = "UPDATE sync_runs SET cancel_requested_at = coalesce(cancel_requested_at, :now)"
            + " WHERE tenant_id = :tenantId AND id = :id AND status = 'running'", nativeQuery = true)
    int requestCancel(String tenantId, UUID id, Instant now);

    @Query(value = "SELECT count(*) FROM sync_runs WHERE tenant_id = :tenantId AND id = :id"
            + " AND cancel_requested_at IS NOT NULL", nativeQuery = true)
    long countCancelRequested(String tenantId, UUID id);
}
