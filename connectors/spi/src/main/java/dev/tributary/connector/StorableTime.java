package dev.tributary.connector;

import java.time.Instant;

/**
 * The one rule for the times Tributary stores, whether a source or a client sends them: the
 * years 1 to 9999 in UTC, to the microsecond PostgreSQL keeps. Its {@code timestamptz} spans
 * 4713 BC to 294276 AD and Java's {@code Instant} a billion years either way, so without a
 * bound of our own a {@code created} of 253402300800000 (milliseconds read as seconds) or a
 * {@code sync_from} of {@code +999999999-01-01T00:00:00Z} passed every check and failed in the
 * database. Four-digit years are what both hold and what people mean.
 */
public final class StorableTime {

    /** The earliest time stored: the first instant of year 1. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    /** The latest time stored: the last microsecond of year 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private StorableTime() {
    }

    /** Whether {@code time} lies in the years 1 to 9999. */
    public static boolean holds(Instant time) {
        return !time.isBefore(EARLIEST) && !time.isAfter(LATEST);
    }

    /**
     * Refuses a time outside the years 1 to 9999, naming {@code field}; null (no time) passes.
     *
     * @throws IllegalArgumentException saying which field holds which time
     */
    public static void require(Instant time, String field) {
        if (time != null && !holds(time)) {
            throw new IllegalArgumentException(field + " " + time + " lies outside the years 1 to 9999");
        }
    }
}
