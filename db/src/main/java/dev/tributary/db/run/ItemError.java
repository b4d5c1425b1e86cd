package dev.tributary.db.run;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.UUID;

/** A sync list item a push run could not push, and why: an element of {@code sync_runs.item_errors}. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ItemError(UUID itemId, String error) {
}
