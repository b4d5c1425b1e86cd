package dev.tributary.db.state;

import dev.tributary.db.run.RunMode;

import java.time.Instant;

/**
 * A target's row of {@code sync_state}. {@code cursor} is where an interrupted fetch of
 * {@code cursorMode} stopped; null when none did. {@code cursorOnFreshTarget}: that interrupted
 * pass began on an empty collection. {@code cursorAfterUnidentifiedFailures}: before it stopped,
 * that pass met records that failed without an id, so, resumed, it still cannot tell what the
 * source has and may not delete.
 */
public record SyncState(Instant lastSyncedAt, Instant lastFullSyncAt, RunMode cursorMode, String cursor,
                        boolean cursorOnFreshTarget, boolean cursorAfterUnidentifiedFailures) {

    /** The cursor of an interrupted pass of {@code mode}, to resume it from; null when there is none. */
    public String cursorOf(RunMode mode) {
        return mode == cursorMode ? cursor : null;
    }
}
