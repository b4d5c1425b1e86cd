package dev.tributary.connector.net;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How long a 429 asks to wait, from its {@code Retry-After} header: whole seconds ({@code 120}) or an
 * HTTP date ({@code Wed, 21 Oct 2026 07:28:00 GMT}, counted from the clock's now), as RFC 9110 allows.
 */
public final class RetryAfter {

    /** The wait when the header is missing or unreadable: long enough not to hammer a source that said nothing. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);

    private RetryAfter() {
    }

    /** The wait the answer's {@code Retry-After} asks for; never negative, {@link #DEFAULT} when it says nothing usable. */
    public static Duration of(HttpHeaders headers, Clock clock) {
        return parse(headers.firstValue("Retry-After").orElse(null), clock);
    }

    /** The wait a {@code Retry-After} value (null when absent) asks for. */
    public static Duration parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return DEFAULT;
            }
        }
    }
}
