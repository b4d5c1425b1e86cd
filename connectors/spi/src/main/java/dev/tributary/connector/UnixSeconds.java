package dev.tributary.connector;

import dev.tributary.connector.json.CanonicalJson;

import java.time.DateTimeException;
import java.time.Instant;

/**
 * Unix times in whole seconds, the way Stripe and Intercom write every time and take it in their
 * filters: read from what a source sent (refused, naming the field, when it is not one or not one
 * PostgreSQL stores — see {@link StorableTime}), and the first whole second a filter on such times
 * asks for.
 */
public final class UnixSeconds {

    private UnixSeconds() {
    }

    /**
     * A Unix time in seconds as a source writes it ({@code 1700000000}).
     *
     * @throws IllegalArgumentException naming {@code field} when the text is not one, or not a storable one
     */
    public static Instant parse(String text, String field) {
        Instant time;
        try {
            time = Instant.ofEpochSecond(Long.parseLong(text));
        } catch (NumberFormatException | DateTimeException e) {
            throw new IllegalArgumentException(field + " is not a Unix time: "
                    + (text.length() <= 40 ? text : text.substring(0, 40) + "…")); // a source's value: never a megabyte
        }
        StorableTime.require(time, field);
        return time;
    }

    /**
     * The Unix time in the top-level {@code field} of a JSON object, null when it has none.
     *
     * @throws IllegalArgumentException naming the field when it holds something else, or a time outside the
     *                                  years 1 to 9999
     */
    public static Instant at(CanonicalJson.Value object, String field) {
        String value = CanonicalJson.scalarAt(object, "/" + field);
        return value == null ? null : parse(value, field);
    }

    /**
     * The first whole second not before {@code time}: a source that stamps whole seconds has a time on or
     * after {@code time} exactly when it is on or after this second.
     */
    public static long notBefore(Instant time) {
        return time.getEpochSecond() + (time.getNano() > 0 ? 1 : 0);
    }
}
