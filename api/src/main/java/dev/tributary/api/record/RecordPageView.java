package dev.tributary.api.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tributary.db.entity.EntityReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.UUID;

/** A page of records in external-id order; {@code next_cursor} is null (present, not absent) on the last page. */
@Schema(name = "RecordPage", description = "A page of records in external-id order.")
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RecordPageView(List<RecordView> items, int limit,
                             @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                                     description = "pass as cursor for the next page; null on the last page")
                             String nextCursor) {

    /** A page of {@code listing}'s records in {@code collection} (an app's key: its records), its cursor for them only. */
    static RecordPageView of(EntityReader.Page page, int limit, String listing, String collection) {
        List<RecordView> items = page.entities().stream().map(RecordView::of).toList();
        String next = page.more()
                ? new RecordCursor(listing, collection, items.get(items.size() - 1).externalId()).encode() : null;
        return new RecordPageView(items, limit, next);
    }

    /** A page of saved filter {@code filterId}'s matches in {@code collection}, its cursor for those only. */
    public static RecordPageView ofMatches(EntityReader.Page page, int limit, UUID filterId, String collection) {
        return of(page, limit, RecordCursor.filterListing(filterId), collection);
    }
}
