package dev.tributary.db.synclist;

import dev.tributary.db.run.RunMode;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A row of {@code sync_list_items}: one source record (app, collection, external id) kept in step with
 * a record of a target app's collection, owned by the credential that listed it. {@code targetId} is the
 * target's id once created; {@code lastPushedHash} the SHA-256 of the body last pushed with success, which
 * tells a delta push whether the source changed. {@code mode} is {@link RunMode#DELTA} or {@link RunMode#FULL}.
 * JSON columns are plain JSON values ({@code fieldMapping} in {@code FieldMapping}'s syntax); null when absent.
 */
public record SyncListItem(UUID id, String owner, String sourceAppKey, String collection, String sourceId,
                           String targetAppKey, String targetCollection, @Nullable String targetId, RunMode mode,
                           boolean active, boolean pushOnChange, @Nullable Instant lastSyncedAt,
                           ItemStatus lastSyncStatus, @Nullable UUID lastSyncId, @Nullable String errorMessage,
                           @Nullable UUID savedFilterId, @Nullable Map<String, Object> filterConfig,
                           @Nullable Map<String, Object> fieldMapping, Map<String, Object> metadata,
                           @Nullable byte[] lastPushedHash, Instant createdAt, Instant updatedAt) {
}
