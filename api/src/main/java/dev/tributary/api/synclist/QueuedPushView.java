package dev.tributary.api.synclist;

import dev.tributary.db.run.RunKind;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.SyncRun;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** The answer to a delta sync: the push run as queued (its progress is at {@code Location}). */
@Schema(name = "QueuedPush", description = "A push run as queued; its progress is at `Location` (`getSyncRun`).")
@Serdeable
record QueuedPushView(
        UUID syncId, RunStatus status, RunKind kind, RunMode mode,
        @Schema(description = "the target app") String appKey,
        @Nullable @Schema(nullable = false, description = "the target collection; absent when the items go to"
                + " several") String collection,
        @Schema(description = "how many sync list items it pushes") int items,
        Instant queuedAt) {

    static QueuedPushView of(SyncRun run) {
        return new QueuedPushView(run.id(), run.status(), run.kind(), run.mode(), run.appKey(), run.collectionKey(),
                run.request().ids().size(), run.queuedAt());
    }
}
