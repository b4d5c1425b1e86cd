package dev.tributary.api.synclist;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * What {@code POST /api/sync-list} added: the new items, and how many of a saved filter's matches the list held
 * already.
 */
@Schema(name = "SyncListAddition", description = "What an addition did: `items` are the items it added.")
@Serdeable
record SyncListAddition(
        @Schema(description = "items added") long added,
        @Schema(description = "a saved filter's matches the list already held for its target (left as they were)")
        long alreadyListed,
        List<SyncListItemView> items) {
}
