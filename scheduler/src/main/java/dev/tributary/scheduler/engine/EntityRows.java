package dev.tributary.scheduler.engine;

import dev.tributary.connector.NormalizedEntity;
import dev.tributary.db.entity.EntityRow;

/** A connector's entity as the writer stores it. */
public final class EntityRows {

    private EntityRows() {
    }

    public static EntityRow of(NormalizedEntity entity) {
        return new EntityRow(entity.externalId(), entity.rawPayload(), entity.contentHash(), entity.archivedAt(),
                entity.sourceCreatedAt(), entity.sourceUpdatedAt());
    }
}
