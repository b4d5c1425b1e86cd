package dev.tributary.api.sync;

import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.SyncRun;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** The answer to a trigger: the run as queued (its progress is at {@code Location}). */
@Schema(name = "QueuedRun", description = "A run as queued; its progress is at `Location` (`getSyncRun`).")
@Serdeable
record QueuedRunView(UUID syncId, RunStatus status, RunMode mode, String appKey, @Nullable String collection,
                     boolean dryRun, Instant queuedAt) {

    static QueuedRunView of(SyncRun run) {
        return new QueuedRunView(run.id(), run.status(), run.mode(), run.appKey(), run.collectionKey(), run.dryRun(),
                run.queuedAt());
    }
}
