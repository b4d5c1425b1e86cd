package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A run's outcome as the history names it: a finished run {@code completed}, {@code partial_success}
 * (completed with errors) or {@code failed} (failed or dead-lettered); others keep their run status.
 */
@Serdeable
public enum HistoryStatus {
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("partial_success") PARTIAL_SUCCESS,
    @JsonProperty("failed") FAILED,
    @JsonProperty("queued") QUEUED,
    @JsonProperty("running") RUNNING,
    @JsonProperty("retry_scheduled") RETRY_SCHEDULED,
    @JsonProperty("cancelled") CANCELLED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HistoryStatus> of(String value) {
        return Arrays.stream(values()).filter(status -> status.value().equals(value)).findFirst();
    }
}
