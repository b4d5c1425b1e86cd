package dev.tributary.api.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tributary.db.entity.EntityReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** One synced record as the records API shows it; every member is present, null or not. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
record RecordView(String externalId,
                  StoredJson payload,
                  @Nullable Instant archivedAt, @Nullable Instant sourceCreatedAt, @Nullable Instant sourceUpdatedAt,
                  Instant firstSeenAt,
                  @Schema(description = "when the source last had it: its own last write, or the collection's last"
                          + " successful full sync if later") Instant lastSeenAt,
                  Instant updatedAt) {

    static RecordView of(EntityReader.StoredEntity entity) {
        return new RecordView(entity.externalId(), new StoredJson(entity.payload()), entity.archivedAt(),
                entity.sourceCreatedAt(), entity.sourceUpdatedAt(), entity.firstSeenAt(), entity.lastSeenAt(),
                entity.updatedAt());
    }
}
