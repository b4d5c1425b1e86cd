package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a run handles everything or only what changed: {@code sync_runs.mode}, stored and shown as
 * {@link #value()}. A pull is {@code full} or {@code incremental}; a push ({@link RunKind#PUSH}) is {@code delta}
 * (items whose source changed since their last push, and the sync list's full items) or {@code full} (every item).
 */
@Serdeable
public enum RunMode {
    @JsonProperty("full") FULL,
    @JsonProperty("incremental") INCREMENTAL,
    @JsonProperty("delta") DELTA;

    /** As stored and shown: the constant's name in lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A pull's mode named {@code value} (full or incremental); empty for any other string. */
    public static Optional<RunMode> pull(String value) {
        return of(value).filter(mode -> mode != DELTA);
    }

    /** A push's mode named {@code value} (delta or full); empty for any other string. */
    public static Optional<RunMode> push(String value) {
        return of(value).filter(mode -> mode != INCREMENTAL);
    }

    /** The mode stored as {@code value}; empty for any other string. */
    public static Optional<RunMode> of(String value) {
        return Arrays.stream(values()).filter(mode -> mode.value().equals(value)).findFirst();
    }
}
