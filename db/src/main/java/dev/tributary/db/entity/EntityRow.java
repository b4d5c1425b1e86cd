package dev.tributary.db.entity;

import java.time.Instant;

/**
 * One entity as the engine writes it: its payload (JSON text) and the content hash
 * the engine computed over its canonical form. {@code archivedAt} non-null means the
 * source says it is archived, inactive or trashed.
 */
public record EntityRow(String externalId, String rawPayload, byte[] contentHash, Instant archivedAt,
                        Instant sourceCreatedAt, Instant sourceUpdatedAt) {
}
