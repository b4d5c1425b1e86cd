package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.List;

/**
 * {@code sync_runs.request}: everything needed to run a run's request again (a retry, a
 * rerun). {@code retryRecords} are the failed records ({@code sync_records} ids) a retry run
 * settles when it ends; empty for other runs. Rows written before a member existed lack it
 * (a row inserted without a request holds {@code {}}): it reads as absent.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRequest(@Nullable String collection, @Nullable RunMode mode, boolean dryRun, boolean forceDeletions,
                         @Nullable List<String> ids, @Nullable RunFilters filters,
                         @Nullable @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Long> retryRecords) {

    public RunRequest {
        ids = ids == null ? List.of() : List.copyOf(ids);
        filters = filters == null ? RunFilters.NONE : filters;
        retryRecords = retryRecords == null ? List.of() : List.copyOf(retryRecords);
    }
}
