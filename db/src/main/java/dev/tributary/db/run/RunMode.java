package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether a run reads everything or only what changed: {@code sync_runs.mode}, stored and shown as {@link #value()}. */
@Serdeable
public enum RunMode {
    @JsonProperty("full") FULL,
    @JsonProperty("incremental") INCREMENTAL;

    /** As stored and shown: the constant's name in lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode stored as {@code value}; empty for any other string. */
    public static Optional<RunMode> of(String value) {
        return Arrays.stream(values()).filter(mode -> mode.value().equals(value)).findFirst();
    }
}
