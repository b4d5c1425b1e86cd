package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/** How one execution of a run ended: the {@code status} of its entry in {@code sync_runs.attempts}. */
@Serdeable
public enum AttemptStatus {
    @JsonProperty("completed") COMPLETED(RunStatus.COMPLETED),
    @JsonProperty("completed_with_errors") COMPLETED_WITH_ERRORS(RunStatus.COMPLETED_WITH_ERRORS),
    @JsonProperty("failed") FAILED(RunStatus.FAILED),
    @JsonProperty("cancelled") CANCELLED(RunStatus.CANCELLED),
    /** Stopped for a node's shutdown: the run went back to the queue, to be resumed. */
    @JsonProperty("interrupted") INTERRUPTED(RunStatus.QUEUED);

    private final RunStatus run;

    AttemptStatus(RunStatus run) {
        this.run = run;
    }

    /** The run's status after an attempt that ended so, unless a failed one is retried (then retry_scheduled). */
    public RunStatus runStatus() {
        return run;
    }

    /** As stored and shown: the constant's name in lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
