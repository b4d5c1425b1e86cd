package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a run stands: {@code sync_runs.status}, stored and shown as {@link #value()}
 * ({@code completed_with_errors}); the constants' {@code @JsonProperty} names say the same to
 * serde and to the OpenAPI document.
 */
@Serdeable
public enum RunStatus {
    @JsonProperty("queued") QUEUED,
    @JsonProperty("running") RUNNING,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("completed_with_errors") COMPLETED_WITH_ERRORS,
    @JsonProperty("failed") FAILED,
    @JsonProperty("retry_scheduled") RETRY_SCHEDULED,
    @JsonProperty("dead_lettered") DEAD_LETTERED,
    @JsonProperty("cancelled") CANCELLED;

    /** As stored and shown: the constant's name in lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status stored as {@code value}; empty for any other string. */
    public static Optional<RunStatus> of(String value) {
        return Arrays.stream(values()).filter(status -> status.value().equals(value)).findFirst();
    }

    /** Waiting for a worker: queued, or for its next attempt. */
    public boolean waiting() {
        return this == QUEUED || this == RETRY_SCHEDULED;
    }
}
