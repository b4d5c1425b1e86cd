package dev.tributary.db.run;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.UUID;

/** One execution of a sync: a row of {@code sync_runs}. */
@MappedEntity("sync_runs")
public record SyncRun(
        @Id UUID id,
        String tenantId,
        String appKey,
        @Nullable String collectionKey,
        String mode,
        String trigger,
        boolean dryRun,
        String status,
        int attempt,
        int maxAttempts,
        @Nullable String idempotencyKey,
        @TypeDef(type = DataType.JSON) String request,
        Instant queuedAt,
        @Nullable Instant startedAt,
        @Nullable Instant completedAt,
        @Nullable Long durationMs,
        long recordsTotal,
        long recordsNew,
        long recordsUpdated,
        long recordsUnchanged,
        long recordsDeleted,
        long recordsArchived,
        long recordsErrors,
        @Nullable String errorMessage,
        @Nullable String nodeId,
        @Nullable Instant nextAttemptAt,
        @Nullable @TypeDef(type = DataType.JSON) String dryRunPreview,
        @Nullable Instant cancelRequestedAt,
        @TypeDef(type = DataType.JSON) String attempts,
        @TypeDef(type = DataType.JSON) String notes) {

    /** The statuses a run can be in, as stored. */
    /** Statuses a run ends in. */
    public static final java.util.Set<String> FINISHED = java.util.Set.of("completed", "completed_with_errors",
            "failed", "dead_lettered", "cancelled");

    public static final java.util.Set<String> STATUSES = java.util.Set.of("queued", "running", "completed",
            "completed_with_errors", "failed", "retry_scheduled", "dead_lettered", "cancelled");
}
