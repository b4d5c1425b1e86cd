package dev.tributary.api.list;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The envelope of every list: a page of items, newest first, and the total there is. */
@Serdeable
public record ListResponse<T>(List<T> items, int limit, long offset, long total) {
}
