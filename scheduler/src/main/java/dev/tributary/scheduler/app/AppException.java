package dev.tributary.scheduler.app;

import dev.tributary.scheduler.Refusal;

/**
 * What only {@link Apps} refuses, as a type, so that each caller (the API, config-as-code)
 * says it in its own terms; a member missing or wrong is a {@link Refusal.InvalidField}.
 * Nothing was stored when one is thrown.
 */
public abstract sealed class AppException extends RuntimeException {

    private AppException(String message) {
        super(message, null, false, false);
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
