package dev.tributary.api.list;

import dev.tributary.api.problem.ApiProblem;
import io.micronaut.core.annotation.Nullable;

/** {@code limit} (1–100, default 20) and {@code offset} (≥ 0, default 0) of a list request. */
public record PageRequest(int limit, long offset) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public static PageRequest of(@Nullable Integer limit, @Nullable Long offset) {
        long o = offset == null ? 0 : offset;
        if (o < 0) {
            throw ApiProblem.invalidField("offset", "must not be negative");
        }
        return new PageRequest(limit(limit), o);
    }

    /** A list's {@code limit}: the default when absent, else 1 to {@value #MAX_LIMIT} or a 400 naming it. */
    public static int limit(@Nullable Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.invalidField("limit", "must be an integer from 1 to " + MAX_LIMIT);
        }
        return limit;
    }
}
