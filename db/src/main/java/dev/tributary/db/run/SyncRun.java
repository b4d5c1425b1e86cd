package dev.tributary.db.run;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One execution of a sync: a row of {@code sync_runs}. Its JSON columns are records, read and
 * written by Micronaut Data through the service's JSON mapper; status, trigger, mode and kind are enums
 * stored by their lower-case names.
 */
@MappedEntity("sync_runs")
public record SyncRun(
        @Id UUID id,
        String tenantId,
        String appKey,
        @Nullable String collectionKey,
        @MappedProperty(converter = RunEnumColumn.Mode.class) RunMode mode,
        @MappedProperty(converter = RunEnumColumn.Trigger.class) RunTrigger trigger,
        boolean dryRun,
        @MappedProperty(converter = RunEnumColumn.Status.class) RunStatus status,
        int attempt,
        int maxAttempts,
        @Nullable String idempotencyKey,
        @TypeDef(type = DataType.JSON) RunRequest request,
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
        @Nullable @TypeDef(type = DataType.JSON) DryRunPreview dryRunPreview,
        @Nullable Instant cancelRequestedAt,
        @TypeDef(type = DataType.JSON) List<RunAttempt> attempts,
        @TypeDef(type = DataType.JSON) List<String> notes,
        @MappedProperty(converter = RunEnumColumn.Kind.class) RunKind kind,
        @Nullable String owner,
        @TypeDef(type = DataType.JSON) List<ItemError> itemErrors) {

    /** What the run's attempts have done to its records so far. */
    public RunCounts counts() {
        return new RunCounts(recordsTotal, recordsNew, recordsUpdated, recordsUnchanged, recordsDeleted,
                recordsArchived, recordsErrors);
    }
}
