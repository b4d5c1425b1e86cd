package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a run moves: a pull reads a source app into {@code entities}; a push writes sync list items to their
 * target app. {@code sync_runs.kind}, stored and shown as {@link #value()}.
 */
@Serdeable
public enum RunKind {
    @JsonProperty("pull") PULL,
    @JsonProperty("push") PUSH;

    /** As stored and shown: the constant's name in lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind stored as {@code value}; empty for any other string. */
    public static Optional<RunKind> of(String value) {
        return Arrays.stream(values()).filter(kind -> kind.value().equals(value)).findFirst();
    }
}
