package dev.tributary.db.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * What a targeted run applies: only records whose top-level {@code status} is one of
 * {@code statuses} (when given) and whose source time lies in [{@code from}, {@code to}]
 * (each bound optional). Stored in {@code sync_runs.request} as {@code filters} (its members
 * are single words, so no naming strategy: one would override the name of {@code status}).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunFilters(@JsonProperty("status") @Nullable List<String> statuses, @Nullable Instant from,
                         @Nullable Instant to) {

    public static final RunFilters NONE = new RunFilters(List.of(), null, null);

    public RunFilters {
        statuses = statuses == null ? List.of() : List.copyOf(statuses);
    }

    public boolean narrows() {
        return !statuses.isEmpty() || from != null || to != null;
    }
}
