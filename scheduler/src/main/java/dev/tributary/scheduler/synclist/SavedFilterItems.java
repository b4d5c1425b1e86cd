package dev.tributary.scheduler.synclist;

import java.util.Map;
import java.util.UUID;

/**
 * Every current match of a saved filter, to become sync list items going to the filter's target; the other
 * members as in {@link SyncListItemDefinition} (null: their defaults).
 */
public record SavedFilterItems(UUID savedFilterId, String syncMode, Boolean pushOnChange,
                               Map<String, Object> fieldMapping) {
}
