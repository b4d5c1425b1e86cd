package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What queued a run: {@code sync_runs.trigger}, stored and shown as {@link #value()}. */
@Serdeable
public enum RunTrigger {
    @JsonProperty("manual") MANUAL,
    @JsonProperty("schedule") SCHEDULE,
    @JsonProperty("retry") RETRY,
    @JsonProperty("webhook") WEBHOOK;

    /** As stored and shown: the constant's name in lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The trigger stored as {@code value}; empty for any other string. */
    public static Optional<RunTrigger> of(String value) {
        return Arrays.stream(values()).filter(trigger -> trigger.value().equals(value)).findFirst();
    }
}
