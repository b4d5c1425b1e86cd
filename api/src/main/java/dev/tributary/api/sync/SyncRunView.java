package dev.tributary.api.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.db.run.SyncRun;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/** A sync run as the API shows it. */
@Serdeable
record SyncRunView(UUID syncId, String appKey, @Nullable String collection, String mode, String trigger,
                   boolean dryRun, String status, int attempt, int maxAttempts, Instant queuedAt,
                   @Nullable Instant startedAt, @Nullable Instant completedAt, @Nullable Long durationMs,
                   Counts records, @Nullable String error, @Nullable Instant nextAttemptAt) {

    @Serdeable
    record Counts(long total, @JsonProperty("new") long created, long updated, long unchanged, long deleted,
                  long archived, long errors) {
    }

    static SyncRunView of(SyncRun run) {
        return new SyncRunView(run.id(), run.appKey(), run.collectionKey(), run.mode(), run.trigger(), run.dryRun(),
                run.status(), run.attempt(), run.maxAttempts(), run.queuedAt(), run.startedAt(), run.completedAt(),
                run.durationMs(), new Counts(run.recordsTotal(), run.recordsNew(), run.recordsUpdated(),
                run.recordsUnchanged(), run.recordsDeleted(), run.recordsArchived(), run.recordsErrors()),
                run.errorMessage(), run.nextAttemptAt());
    }
}
