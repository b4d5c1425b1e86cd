package dev.tributary.api.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.db.run.DryRunPreview;
import dev.tributary.db.run.RunAttempt;
import dev.tributary.db.run.RunCounts;
import dev.tributary.db.run.ItemError;
import dev.tributary.db.run.RunKind;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRecords;
import dev.tributary.db.run.SyncRun;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A sync run as the API shows it; {@code nodeId} is the node running its current attempt, or the
 * node that ran its last one. The detail ({@code GET /api/sync/status/{sync_id}}) adds
 * every attempt, the run's notes (a fallback it took, say), a summary of the records that failed, and a dry run's preview;
 * a push run shows its counts as items ({@code items_*}, the same columns) and, in detail, its failed items.
 */
@Schema(name = "SyncRun", description = "A sync run. Members without a value are absent; `attempts`, `notes`,"
        + " `failures` and `preview` are in the detail (`getSyncRun`) only.")
@Serdeable
record SyncRunView(UUID syncId, @Schema(description = "pull (a source app into entities) or push (sync list items"
                           + " to their target app, `app_key`)") RunKind kind,
                   String appKey, @Nullable String collection, RunMode mode, RunTrigger trigger,
                   boolean dryRun, RunStatus status, int attempt, int maxAttempts,
                   @Nullable @Schema(description = "the node running its current attempt, or the one that ran its last")
                   String nodeId,
                   Instant queuedAt,
                   @Nullable Instant startedAt, @Nullable Instant completedAt, @Nullable Long durationMs,
                   Counts records,
                   @Nullable @Schema(description = "why it failed, sanitized") String error,
                   @Nullable @Schema(description = "when a retry_scheduled run tries again") Instant nextAttemptAt,
                   @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "a cancel was asked while it ran;"
                           + " it stops at its next page") boolean cancelRequested,
                   @Nullable List<RunAttempt> attempts,
                   @Nullable @Schema(description = "what the run did beside syncing: an incremental sync that ran full,"
                           + " deletions skipped, records left out before `sync_from`") List<String> notes,
                   @Nullable @Schema(nullable = false) FailureSummary failures,
                   @Nullable @Schema(nullable = false, description = "a dry run's would-be counts and sample ids")
                   DryRunPreview preview,
                   @Nullable @Schema(nullable = false, description = "a push: the items it handled") Long itemsProcessed,
                   @Nullable @Schema(nullable = false, description = "a push: items created at the target")
                   Long itemsCreated,
                   @Nullable @Schema(nullable = false, description = "a push: items updated at the target")
                   Long itemsUpdated,
                   @Nullable @Schema(nullable = false, description = "a push: items skipped, unchanged since their"
                           + " last push") Long itemsUnchanged,
                   @Nullable @Schema(nullable = false, description = "a push: items that failed") Long itemsFailed,
                   @Nullable @Schema(nullable = false, description = "a push's failed items and why (the first 100;"
                           + " detail only)") List<ItemError> errors) {

    @Schema(name = "SyncRunCounts", description = "Records the run handled, over all its attempts.")
    @Serdeable
    record Counts(long total, @JsonProperty("new") long created, long updated, long unchanged, long deleted,
                  long archived, long errors) {
        static Counts of(RunCounts counts) {
            return new Counts(counts.total(), counts.created(), counts.updated(), counts.unchanged(), counts.deleted(),
                    counts.archived(), counts.errors());
        }
    }

    /** A run in a list: its row, without attempts, notes, failures and preview. */
    static SyncRunView of(SyncRun run) {
        return of(run, null, null, null, null);
    }

    /** A run in detail: its row, its attempts and notes, the records it failed on, a dry run's preview. */
    static SyncRunView detail(SyncRun run, SyncRecords.Summary failures) {
        return of(run, run.attempts(), run.notes(), FailureSummary.of(failures), run.dryRunPreview());
    }

    private static SyncRunView of(SyncRun run, List<RunAttempt> attempts, List<String> notes, FailureSummary failures,
                                  DryRunPreview preview) {
        boolean push = run.kind() == RunKind.PUSH;
        return new SyncRunView(run.id(), run.kind(), run.appKey(), run.collectionKey(), run.mode(), run.trigger(), run.dryRun(),
                run.status(), run.attempt(), run.maxAttempts(), run.nodeId(), run.queuedAt(), run.startedAt(),
                run.completedAt(), run.durationMs(), Counts.of(run.counts()), run.errorMessage(), run.nextAttemptAt(),
                run.cancelRequestedAt() != null, attempts, notes, failures, preview,
                push ? run.recordsTotal() : null, push ? run.recordsNew() : null, push ? run.recordsUpdated() : null,
                push ? run.recordsUnchanged() : null, push ? run.recordsErrors() : null,
                push && attempts != null ? run.itemErrors() : null);
    }
}
