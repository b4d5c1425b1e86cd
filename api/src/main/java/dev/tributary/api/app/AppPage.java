package dev.tributary.api.app;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** A page of the tenant's apps, newest first, and how many there are. */
@Schema(description = "A page of apps, newest first.")
@Serdeable
record AppPage(List<AppView> items, int limit, long offset, long total) {
}
