package dev.tributary.scheduler.engine;

import java.time.Duration;

/**
 * The words a run's error is made of besides an exception's description (that is
 * {@link dev.tributary.connector.ConnectorException#describe}, never "null").
 */
public final class ErrorMessages {

    private ErrorMessages() {
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
}
