package dev.tributary.api.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tributary.db.entity.EntityReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** One synced record as the records API shows it; every member is present, null or not. */
@Schema(name = "Record", description = "One synced record; every member is present, null or not.")
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
record RecordView(String externalId,
                  StoredJson payload,
                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "when the source archived it (soft-deleted); null while active")
                  @Nullable Instant archivedAt,
                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the source's creation time, when the connector knows it")
                  @Nullable Instant sourceCreatedAt,
                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the source's last change, when the connector knows it")
                  @Nullable Instant sourceUpdatedAt,
                  Instant firstSeenAt,
                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "when the source last had it: its own last write, or the collection's"
                          + " last successful full sync if later") Instant lastSeenAt,
                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "when a sync last wrote it (unchanged records are not rewritten)")
                  Instant updatedAt) {

    static RecordView of(EntityReader.StoredEntity entity) {
        return new RecordView(entity.externalId(), new StoredJson(entity.payload()), entity.archivedAt(),
                entity.sourceCreatedAt(), entity.sourceUpdatedAt(), entity.firstSeenAt(), entity.lastSeenAt(),
                entity.updatedAt());
    }
}
