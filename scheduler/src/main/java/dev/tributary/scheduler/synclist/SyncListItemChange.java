package dev.tributary.scheduler.synclist;

import java.util.Map;

/**
 * A change to a sync list item: each non-null member replaces the item's, null ones stay as they are. What an
 * item pushes, and where to, never changes (another record or target is another item).
 */
public record SyncListItemChange(String syncMode, Boolean active, Boolean pushOnChange,
                                 Map<String, Object> fieldMapping, Map<String, Object> metadata) {
}
