package dev.tributary.connector;

import java.time.Instant;
import java.util.Objects;

/**
 * One provider object in the shape the engine stores: its id within the collection,
 * its payload as JSON text, and the few fields the engine reads. {@code archivedAt}
 * is set when the source says the object is archived, inactive or trashed.
 */
public record NormalizedEntity(String externalId, String collectionKey, String rawPayload, Instant archivedAt,
                               Instant sourceCreatedAt, Instant sourceUpdatedAt) {

    public NormalizedEntity {
        if (externalId == null || externalId.isEmpty()) {
            throw new IllegalArgumentException("external_id is empty");
        }
        Identifiers.requireKey(collectionKey, "collection_key");
        Objects.requireNonNull(rawPayload, "raw_payload");
    }
}
