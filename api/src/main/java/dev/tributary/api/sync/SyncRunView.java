package dev.tributary.api.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.db.run.DryRunPreview;
import dev.tributary.db.run.RunAttempt;
import dev.tributary.db.run.RunCounts;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRecords;
import dev.tributary.db.run.SyncRun;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A sync run as the API shows it; {@code nodeId} is the node running its current attempt, or the
 * node that ran its last one. The detail ({@code GET /api/sync/status/{sync_id}}) adds
 * every attempt, the run's notes (a fallback it took, say), a summary of the records that failed, and a dry run's preview.
 */
@Serdeable
record SyncRunView(UUID syncId, String appKey, @Nullable String collection, RunMode mode, RunTrigger trigger,
                   boolean dryRun, RunStatus status, int attempt, int maxAttempts, @Nullable String nodeId,
                   Instant queuedAt,
                   @Nullable Instant startedAt, @Nullable Instant completedAt, @Nullable Long durationMs,
                   Counts records, @Nullable String error, @Nullable Instant nextAttemptAt, boolean cancelRequested,
                   @Nullable List<RunAttempt> attempts, @Nullable List<String> notes, @Nullable Failures failures,
                   @Nullable DryRunPreview preview) {

    @Serdeable
    record Counts(long total, @JsonProperty("new") long created, long updated, long unchanged, long deleted,
                  long archived, long errors) {
        static Counts of(RunCounts counts) {
            return new Counts(counts.total(), counts.created(), counts.updated(), counts.unchanged(), counts.deleted(),
                    counts.archived(), counts.errors());
        }
    }

    /** The records a run failed on: how many, per collection, and the first few (retry them by id). */
    @Serdeable
    record Failures(long total, Map<String, Long> byCollection, List<FailureView> first) {
        static Failures of(SyncRecords.Summary summary) {
            return new Failures(summary.total(), summary.byCollection(),
                    summary.first().stream().map(FailureView::of).toList());
        }
    }

    @Serdeable
    record FailureView(long id, String collection, String externalId, String operation, @Nullable String error,
                       int retryCount) {
        static FailureView of(SyncRecords.Failure failure) {
            return new FailureView(failure.id(), failure.collectionKey(), failure.externalId(), failure.operation(),
                    failure.error(), failure.retryCount());
        }
    }

    /** A run in a list: its row, without attempts, notes, failures and preview. */
    static SyncRunView of(SyncRun run) {
        return of(run, null, null, null, null);
    }

    /** A run in detail: its row, its attempts and notes, the records it failed on, a dry run's preview. */
    static SyncRunView detail(SyncRun run, SyncRecords.Summary failures) {
        return of(run, run.attempts(), run.notes(), Failures.of(failures), run.dryRunPreview());
    }

    private static SyncRunView of(SyncRun run, List<RunAttempt> attempts, List<String> notes, Failures failures,
                                  DryRunPreview preview) {
        return new SyncRunView(run.id(), run.appKey(), run.collectionKey(), run.mode(), run.trigger(), run.dryRun(),
                run.status(), run.attempt(), run.maxAttempts(), run.nodeId(), run.queuedAt(), run.startedAt(),
                run.completedAt(), run.durationMs(), Counts.of(run.counts()), run.errorMessage(), run.nextAttemptAt(),
                run.cancelRequestedAt() != null, attempts, notes, failures, preview);
    }
}
