package dev.tributary.api.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.db.run.FailedRecords;
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
record SyncRunView(UUID syncId, String appKey, @Nullable String collection, String mode, String trigger,
                   boolean dryRun, String status, int attempt, int maxAttempts, @Nullable String nodeId,
                   Instant queuedAt,
                   @Nullable Instant startedAt, @Nullable Instant completedAt, @Nullable Long durationMs,
                   Counts records, @Nullable String error, @Nullable Instant nextAttemptAt, boolean cancelRequested,
                   @Nullable List<Object> attempts, @Nullable List<String> notes, @Nullable Failures failures,
                   @Nullable Map<String, Object> preview) {

    @Serdeable
    record Counts(long total, @JsonProperty("new") long created, long updated, long unchanged, long deleted,
                  long archived, long errors) {
    }

    /** The records a run failed on: how many, per collection, and the first few (retry them by id). */
    @Serdeable
    record Failures(long total, Map<String, Long> byCollection, List<FailureView> first) {
    }

    @Serdeable
    record FailureView(long id, String collection, String externalId, String operation, @Nullable String error,
                       int retryCount) {
        static FailureView of(FailedRecords.Failure failure) {
            return new FailureView(failure.id(), failure.collectionKey(), failure.externalId(), failure.operation(),
                    failure.error(), failure.retryCount());
        }
    }

    static SyncRunView of(SyncRun run) {
        return detail(run, null, null, null, null);
    }

    static SyncRunView detail(SyncRun run, List<Object> attempts, List<String> notes, FailedRecords.Summary failures,
                              Map<String, Object> preview) {
        return new SyncRunView(run.id(), run.appKey(), run.collectionKey(), run.mode(), run.trigger(), run.dryRun(),
                run.status(), run.attempt(), run.maxAttempts(), run.nodeId(), run.queuedAt(), run.startedAt(), run.completedAt(),
                run.durationMs(), new Counts(run.recordsTotal(), run.recordsNew(), run.recordsUpdated(),
                run.recordsUnchanged(), run.recordsDeleted(), run.recordsArchived(), run.recordsErrors()),
                run.errorMessage(), run.nextAttemptAt(), run.cancelRequestedAt() != null, attempts, notes,
                failures == null ? null : new Failures(failures.total(), failures.byCollection(),
                        failures.first().stream().map(FailureView::of).toList()),
                preview);
    }
}
