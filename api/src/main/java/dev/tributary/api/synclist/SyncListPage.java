package dev.tributary.api.synclist;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** A page of the caller's sync list, newest first, and how many items match its filters. */
@Schema(name = "SyncListPage", description = "A page of sync list items, newest first.")
@Serdeable
record SyncListPage(List<SyncListItemView> items, int limit, long offset, long total) {
}
