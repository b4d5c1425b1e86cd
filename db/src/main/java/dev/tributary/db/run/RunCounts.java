package dev.tributary.db.run;

import io.micronaut.serde.annotation.Serdeable;

/** What a run did to its records, as {@code sync_runs} counts them. */
@Serdeable
public record RunCounts(long total, long created, long updated, long unchanged, long deleted, long archived,
                        long errors) {

    public static final RunCounts ZERO = new RunCounts(0, 0, 0, 0, 0, 0, 0);

    public RunCounts plus(RunCounts other) {
        return new RunCounts(total + other.total, created + other.created, updated + other.updated,
                unchanged + other.unchanged, deleted + other.deleted, archived + other.archived, errors + other.errors);
    }
}
