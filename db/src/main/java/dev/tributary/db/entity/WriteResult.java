package dev.tributary.db.entity;

import java.util.List;

/**
 * What writing a batch did — or, for a dry run, would do: rows new, changed,
 * unchanged (left untouched), newly archived, and stale (older, by the source's clock,
 * than what is stored: left untouched too); with up to {@code sampleSize} external ids
 * of each kind for previews.
 */
public record WriteResult(long created, long updated, long unchanged, long archived, long stale,
                          List<String> createdSample, List<String> updatedSample, List<String> archivedSample) {

    public static final WriteResult NONE = new WriteResult(0, 0, 0, 0, 0, List.of(), List.of(), List.of());
}
