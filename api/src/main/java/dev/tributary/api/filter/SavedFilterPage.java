package dev.tributary.api.filter;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** A page of the saved filters in the caller's scope, newest first, and how many there are. */
@Schema(name = "SavedFilterPage", description = "A page of saved filters, newest first.")
@Serdeable
record SavedFilterPage(List<SavedFilterView> items, int limit, long offset, long total) {
}
