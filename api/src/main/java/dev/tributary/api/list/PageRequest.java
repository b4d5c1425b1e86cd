package dev.tributary.api.list;

import dev.tributary.api.problem.ApiProblem;
import io.micronaut.core.annotation.Nullable;

/** {@code limit} (1–100, default 20) and {@code offset} (≥ 0, default 0) of a list request. */
public record PageRequest(int limit, long offset) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public static PageRequest of(@Nullable Integer limit, @Nullable Long offset) {
        int l = limit == null ? DEFAULT_LIMIT : limit;
        long o = offset == null ? 0 : offset;
        if (l < 1 || l > MAX_LIMIT) {
            throw ApiProblem.invalidField("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (o < 0) {
            throw ApiProblem.invalidField("offset", "must not be negative");
        }
        return new PageRequest(l, o);
    }
}
