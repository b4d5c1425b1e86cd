package dev.tributary.scheduler.synclist;

import dev.tributary.scheduler.Refusal;

/**
 * What only {@link SyncLists} refuses, as a type, so the API says each in its own terms; a member missing or
 * wrong and the checks of a push's two ends are {@link Refusal}s. Nothing was stored, and no push queued, when
 * one is thrown.
 */
public abstract sealed class SyncListException extends RuntimeException {

    private SyncListException(String message) {
        super(message, null, false, false);
    }

    /**
     * Something the request names is not in the caller's scope — a sync list item, a saved filter, a source
     * record: none at all, another owner's or another tenant's. The message names it.
     */
    public static final class NotFound extends SyncListException {
        public NotFound(String message) {
            super(message);
        }
    }

    /**
     * The list already holds that source record for that target (perhaps another owner's item: it is one target
     * record either way).
     */
    public static final class AlreadyListed extends SyncListException {
        public AlreadyListed(String sourceAppKey, String collection, String sourceId, String targetAppKey,
                             String targetCollection) {
            super("The sync list already holds " + sourceAppKey + "/" + collection + "/" + sourceId + " for "
                    + targetAppKey + "/" + targetCollection);
        }
    }

    /** A delta sync selected no active item: nothing to push. */
    public static final class NothingActive extends SyncListException {
        public NothingActive() {
            super("No active sync list item is selected; nothing to push");
        }
    }
}
