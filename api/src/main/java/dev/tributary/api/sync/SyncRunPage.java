package dev.tributary.api.sync;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** A page of the tenant's runs, newest first, and how many there are. */
@Schema(description = "A page of sync runs, newest first.")
@Serdeable
record SyncRunPage(List<SyncRunView> items, int limit, long offset, long total) {
}
