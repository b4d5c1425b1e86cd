package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.List;
import java.util.Map;

/**
 * {@code sync_runs.dry_run_preview}: what a dry run would have done — its would-be counts,
 * and per collection up to a sample's worth of ids of each kind of change ({@code new},
 * {@code updated}, {@code archived}, {@code deleted}).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DryRunPreview(RunCounts counts, Map<String, Map<String, List<String>>> samples) {
}
