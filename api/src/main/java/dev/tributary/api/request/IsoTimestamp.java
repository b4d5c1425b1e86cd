package dev.tributary.api.request;

import dev.tributary.api.problem.ApiProblem;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A time given in a request: ISO-8601 with an offset, from {@link #EARLIEST} to
 * {@link #LATEST} (years 0001 to 9999 in UTC). PostgreSQL's {@code timestamptz} stops at
 * 4713 BC and 294276 AD while Java reads years up to ±999999999, so without a bound of
 * our own a time like {@code +999999999-01-01T00:00:00Z} passed every check and failed
 * in the database.
 */
public final class IsoTimestamp {

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private IsoTimestamp() {
    }

    /** {@code value} as an instant, or a 400 naming {@code field}. */
    public static Instant parse(String field, String value) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalidField(field, "must be an ISO-8601 time with offset, e.g. 2026-01-01T00:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiProblem.invalidField(field, "must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
        }
        return instant;
    }
}
