package dev.tributary.scheduler.app;

/**
 * Why {@link Apps} refused a change, as a type, so that each caller (the API, config-as-code)
 * says it in its own terms. Nothing was stored when one is thrown.
 */
public abstract sealed class AppException extends RuntimeException {

    private AppException(String message) {
        super(message, null, false, false);
    }

    /** A member of the app is missing or wrong: {@code field} is its dotted path ({@code schedule.cron}). */
    public static final class Invalid extends AppException {
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

    /** No connector of this name is installed. */
    public static final class UnknownConnector extends AppException {
        private final String connector;

        public UnknownConnector(String connector) {
            super("connector: unknown connector " + connector);
            this.connector = connector;
        }

        public String connector() {
            return connector;
        }
    }

    /** The tenant has no app with this key. */
    public static final class NotFound extends AppException {
        public NotFound(String appKey) {
            super("No app " + appKey);
        }
    }

    /** The tenant already has an app with this key (perhaps created a moment ago by another request). */
    public static final class AlreadyExists extends AppException {
        public AlreadyExists(String appKey) {
            super("App " + appKey + " already exists");
        }
    }

    /** A sync of the app holds its targets' locks, so the app cannot be deleted now. */
    public static final class SyncRunning extends AppException {
        public SyncRunning(String appKey) {
            super("A sync of app " + appKey + " is running");
        }
    }
}
