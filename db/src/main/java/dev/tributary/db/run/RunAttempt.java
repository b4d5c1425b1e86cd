package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Instant;

/**
 * One execution of a run (the first, or a retry, or one cut short by a node's shutdown), as
 * {@code sync_runs.attempts} keeps it: every member is written, null or not, so each entry has
 * the same shape.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunAttempt(int attempt, @Nullable String nodeId, Instant startedAt, Instant completedAt,
                         AttemptStatus status, @Nullable String error) {
}
