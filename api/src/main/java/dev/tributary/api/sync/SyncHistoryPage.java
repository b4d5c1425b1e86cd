package dev.tributary.api.sync;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** A page of the sync history, newest first, and how many runs match its filters. */
@Schema(name = "SyncHistoryPage", description = "A page of the sync history, newest first.")
@Serdeable
record SyncHistoryPage(List<SyncHistoryEntry> items, int limit, long offset, long total) {
}
