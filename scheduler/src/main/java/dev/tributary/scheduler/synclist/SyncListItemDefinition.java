package dev.tributary.scheduler.synclist;

import java.util.Map;

/**
 * One new sync list item as a request gives it; every member is checked by {@link SyncLists}, so any may be
 * null here (null {@code syncMode}: delta; {@code active}: true; {@code pushOnChange}: false; {@code metadata}:
 * empty; {@code fieldMapping}: the target app's mapping applies). {@code fieldMapping} and {@code metadata} are
 * JSON objects as deserialized.
 */
public record SyncListItemDefinition(String sourceAppKey, String collection, String sourceId, String targetAppKey,
                                     String targetCollection, String syncMode, Boolean active, Boolean pushOnChange,
                                     Map<String, Object> fieldMapping, Map<String, Object> metadata) {
}
