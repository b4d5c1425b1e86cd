package dev.tributary.scheduler;

/**
 * The refusals every service of a request says alike — a member missing or wrong, an app the request names
 * that the tenant lacks, a target app that writes nothing, an app whose broken configuration hides its
 * collections — as one sealed type, so the API words each once. What only one service refuses (an app that
 * exists already, a sync list item listed already, …) stays in that service's own exception type. Nothing was
 * stored, and nothing queued, when one is thrown.
 */
public abstract sealed class Refusal extends RuntimeException {

    private Refusal(String message) {
        super(message, null, false, false);
    }

    /**
     * A member of the request is missing or wrong: {@code field} is its dotted path ({@code schedule.cron},
     * {@code filter_config.predicates[1].gte}), {@code reason} what is wrong with it.
     */
    public static final class InvalidField extends Refusal {
        private final String field;
        private final String reason;

        public InvalidField(String field, String reason) {
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

    /** The tenant has no app with the key the request names in {@code field} ({@code target_app_key}). */
    public static final class AppNotFound extends Refusal {
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
    public static final class NotADestination extends Refusal {
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
    public static final class AppConfigInvalid extends Refusal {
        public AppConfigInvalid(String appKey, String reason) {
            super("App " + appKey + " has no usable collections until its configuration is fixed: " + reason);
        }
    }
}
