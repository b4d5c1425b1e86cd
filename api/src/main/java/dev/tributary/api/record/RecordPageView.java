package dev.tributary.api.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** A page of records in external-id order; {@code next_cursor} is null (present, not absent) on the last page. */
@Schema(name = "RecordPage", description = "A page of records in external-id order.")
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
record RecordPageView(List<RecordView> items, int limit,
                      @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                              description = "pass as cursor for the next page; null on the last page")
                      String nextCursor) {
}
