package dev.tributary.scheduler.filter;

import java.util.UUID;

/**
 * Why {@link SavedFilters} refused a request, as a type, so the API says each in its own terms. Nothing was
 * stored when one is thrown.
 */
public abstract sealed class SavedFilterException extends RuntimeException {

    private SavedFilterException(String message) {
        super(message, null, false, false);
    }

    /** A member is missing or wrong: {@code field} is its path ({@code filter_config.predicates[1].gte}). */
    public static final class Invalid extends SavedFilterException {
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

    /** No saved filter with this id in the caller's scope: none at all, another owner's or another tenant's. */
    public static final class NotFound extends SavedFilterException {
        public NotFound(UUID id) {
            super("No saved filter " + id);
        }
    }

    /** The tenant has no app with the key the request names in {@code field}. */
    public static final class AppNotFound extends SavedFilterException {
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
    public static final class NotADestination extends SavedFilterException {
        private final String appKey;

        public NotADestination(String appKey, String why) {
            super("App " + appKey + " cannot be a target: " + why);
            this.appKey = appKey;
        }

        public String appKey() {
            return appKey;
        }
    }

    /** The owner already has a saved filter of this name (perhaps made a moment ago by another request). */
    public static final class AlreadyExists extends SavedFilterException {
        public AlreadyExists(String name) {
            super("A saved filter named " + name + " exists already");
        }
    }

    /** An app's configuration is broken, so which collections it reads or writes cannot be told. */
    public static final class AppConfigInvalid extends SavedFilterException {
        public AppConfigInvalid(String appKey, String reason) {
            super("App " + appKey + " has no usable collections until its configuration is fixed: " + reason);
        }
    }
}
