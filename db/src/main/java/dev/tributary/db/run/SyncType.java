package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What kind of sync a run was, as the history ({@link RunHistory}) names it. */
@Serdeable
public enum SyncType {
    @JsonProperty("manual") MANUAL,
    @JsonProperty("delta") DELTA,
    @JsonProperty("full") FULL,
    @JsonProperty("scheduled") SCHEDULED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SyncType> of(String value) {
        return Arrays.stream(values()).filter(type -> type.value().equals(value)).findFirst();
    }
}
