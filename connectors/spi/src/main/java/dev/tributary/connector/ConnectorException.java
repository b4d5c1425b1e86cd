package dev.tributary.connector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The errors a connector may raise. Whether the engine retries is decided by the
 * type, never by a message: {@link RateLimited} and {@link Transient} are worth
 * another attempt, the others are not. The message ends up in the run's error, so it
 * says what failed; a cause's own message may be null (the JDK's HTTP client refuses a
 * connection with a {@code ConnectException} that has none), so connectors describe causes
 * with {@link #describe(Throwable)}.
 */
public sealed abstract class ConnectorException extends Exception {

    protected ConnectorException(String message, Throwable cause) {
        super(message == null || message.isBlank() ? "a connector failed: " + describe(cause) : message, cause);
    }

    /**
     * What went wrong, from an exception and its causes: their messages, or — where none has
     * one — their type names (e.g. {@code ConnectException}); never {@code "null"}.
     */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "no cause given";
        }
        List<String> messages = new ArrayList<>();
        List<String> types = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && messages.stream().noneMatch(m -> m.contains(message))) {
                messages.add(message);
            }
            types.add(t.getClass().getSimpleName());
        }
        return messages.isEmpty() ? String.join(" caused by ", types.stream().distinct().toList())
                : String.join(": ", messages);
    }

    /**
     * The error a provider's answer with an unsuccessful HTTP {@code status} stands for — the one mapping every
     * connector over HTTP uses: 429 → {@link RateLimited} for {@code retryAfter} (asked only then), 5xx →
     * {@link Transient}, 401 and 403 → {@link AuthRevoked}, 404 → {@link NotFound}, any other →
     * {@link Rejected}. {@code message} says which call answered what.
     */
    public static ConnectorException ofHttpStatus(int status, String message, Supplier<Duration> retryAfter) {
        if (status == 429) {
            return new RateLimited(message, retryAfter.get());
        }
        if (status >= 500) {
            return new Transient(message, null);
        }
        if (status == 401 || status == 403) {
            return new AuthRevoked(message);
        }
        return status == 404 ? new NotFound(message) : new Rejected(message);
    }

    public abstract boolean retriable();

    /** The provider asked us to slow down (HTTP 429); wait {@code retryAfter} before the next call. */
    public static final class RateLimited extends ConnectorException {
        private final Duration retryAfter;

        public RateLimited(String message, Duration retryAfter) {
            super(message, null);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public boolean retriable() {
            return true;
        }
    }

    /** A failure that may pass: 5xx, timeouts, refused or reset connections. */
    public static final class Transient extends ConnectorException {
        public Transient(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean retriable() {
            return true;
        }
    }

    /** The provider no longer accepts the app's credentials. */
    public static final class AuthRevoked extends ConnectorException {
        public AuthRevoked(String message) {
            super(message, null);
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /** The app's configuration cannot work; {@code field} names the bad setting. */
    public static final class ConfigInvalid extends ConnectorException {
        private final String field;

        public ConfigInvalid(String field, String message) {
            super(message, null);
            this.field = field;
        }

        public String field() {
            return field;
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /** The provider does not know the requested object (a 404 on a referenced entity). */
    public static final class NotFound extends ConnectorException {
        public NotFound(String message) {
            super(message, null);
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /**
     * Any other 4xx answer, or what the source sent cannot be read (a malformed event, a document that
     * is not UTF-8 or not JSON): repeating the request will not help.
     */
    public static final class Rejected extends ConnectorException {
        public Rejected(String message) {
            super(message, null);
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    /** A webhook call whose signature does not check out (bad, expired, tampered); {@code reason} is for logs only. */
    public static final class WebhookVerificationFailed extends ConnectorException {
        public WebhookVerificationFailed(String reason) {
            super(reason, null);
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }
}
