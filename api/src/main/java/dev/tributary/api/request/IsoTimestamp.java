package dev.tributary.api.request;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.connector.StorableTime;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A time given in a request, in a body or a query: ISO-8601 with an offset, one that
 * PostgreSQL stores ({@link StorableTime}: the years 0001 to 9999 in UTC).
 */
public final class IsoTimestamp {

    private IsoTimestamp() {
    }

    /** {@code value} as an instant, or a 400 naming {@code field}. */
    public static Instant parse(String field, String value) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // A '+' sent unescaped in a query string arrives as a space.
            String hint = value.indexOf(' ') >= 0 ? " (in a query, send a '+' in the offset as %2B)" : "";
            throw ApiProblem.invalidField(field, "must be an ISO-8601 time with offset, e.g. 2026-01-01T00:00:00Z"
                    + hint);
        }
        if (!StorableTime.holds(instant)) {
            throw ApiProblem.invalidField(field, "must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
        }
        return instant;
    }
}
