package dev.tributary.api.sync;

import dev.tributary.db.run.HistoryStatus;
import dev.tributary.db.run.RunHistory;
import dev.tributary.db.run.SyncType;
import dev.tributary.db.run.RunKind;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.RunTrigger;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/**
 * A run in the sync history (seed 004's sync_history row): a pull or a push with its history type and status,
 * and what it did — records for a pull, sync list items for a push.
 */
@Schema(name = "SyncHistoryEntry", description = "A pull or push run in the history. Members without a value are"
        + " absent.")
@Serdeable
record SyncHistoryEntry(
        UUID syncId, RunKind kind,
        @Schema(description = "`scheduled` (trigger schedule), `delta` (a push in delta mode), `full` (a full pull"
                + " or push), else `manual`") SyncType syncType,
        @Schema(description = "`completed`, `partial_success` (completed with errors), `failed` (failed or"
                + " dead-lettered); a run not finished, or cancelled, keeps its run status") HistoryStatus status,
        @Schema(description = "the run's own status (`GET /api/sync/status/{sync_id}`)") RunStatus runStatus,
        @Schema(description = "the source app of a pull, the target app of a push") String appKey,
        @Nullable String collection,
        @Nullable @Schema(nullable = false, description = "who queued a push (`key:<api key id>` or `jwt:<sub>`);"
                + " absent for pulls") String owner,
        RunTrigger trigger, RunMode mode,
        @Schema(description = "records (pull) or items (push) processed") long itemsProcessed,
        long itemsCreated, long itemsUpdated, long itemsUnchanged, long itemsFailed,
        Instant queuedAt, @Nullable Instant startedAt, @Nullable Instant completedAt, @Nullable Long durationMs) {

    static SyncHistoryEntry of(RunHistory.Entry entry) {
        return new SyncHistoryEntry(entry.syncId(), entry.kind(), entry.syncType(), entry.status(), entry.runStatus(),
                entry.appKey(), entry.collection(), entry.owner(), entry.trigger(), entry.mode(), entry.processed(),
                entry.created(), entry.updated(), entry.unchanged(), entry.failed(), entry.queuedAt(),
                entry.startedAt(), entry.completedAt(), entry.durationMs());
    }
}
