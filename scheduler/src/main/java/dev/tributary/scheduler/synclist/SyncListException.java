package dev.tributary.scheduler.synclist;

/**
 * Why {@link SyncLists} refused a request, as a type, so the API says each in its own terms. Nothing was
 * stored, and no push queued, when one is thrown.
 */
public abstract sealed class SyncListException extends RuntimeException {

    private SyncListException(String message) {
        super(message, null, false, false);
    }

    /** A member is missing or wrong: {@code field} is its path ({@code field_mapping.email}). */
    public static final class Invalid extends SyncListException {
        private final String field;
        private final String reason;

        public Invalid(String field, String reason) {
            super(field + ": " + reason);
            this.field = field;
            this.reason = reason;
        }

        public String field() {
            return field;
        }

        public String reason() {
            return reason;
        }
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

    /** The tenant has no app with the key the request names in {@code field}. */
    public static final class AppNotFound extends SyncListException {
        private final String field;

        public AppNotFound(String field, String appKey) {
            super("No app " + appKey + " (" + field + ")");
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The target app writes no records — its connector cannot, or its configuration declares nothing to write. */
    public static final class NotADestination extends SyncListException {
        private final String appKey;

        public NotADestination(String appKey, String why) {
            super("App " + appKey + " cannot be a target: " + why);
            this.appKey = appKey;
        }

        public String appKey() {
            return appKey;
        }
    }

    /** An app's configuration is broken, so which collections it reads or writes cannot be told. */
    public static final class AppConfigInvalid extends SyncListException {
        public AppConfigInvalid(String appKey, String reason) {
            super("App " + appKey + " has no usable collections until its configuration is fixed: " + reason);
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
