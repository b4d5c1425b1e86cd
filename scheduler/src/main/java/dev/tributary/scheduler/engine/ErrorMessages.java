package dev.tributary.scheduler.engine;

import java.time.Duration;

/**
 * The words a run's error is made of. A run's error always says what failed: an exception
 * without a message (a bare {@code getMessage() == null}) is described by its type and cause,
 * never shown as "null".
 */
public final class ErrorMessages {

    private ErrorMessages() {
    }

    /** {@code failure}'s message, or, when it has none, its type and what caused it. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        StringBuilder text = new StringBuilder(typeName(failure)).append(" without a message");
        Throwable cause = failure.getCause();
        if (cause != null && cause != failure) {
            text.append(", caused by ").append(typeName(cause));
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    /** A duration as an operator writes it in configuration: "300ms", "45s", "5m", "2h". */
    public static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** "ConnectorException.Transient", "SocketTimeoutException": the class's name without its package. */
    private static String typeName(Throwable failure) {
        String name = failure.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }
}
