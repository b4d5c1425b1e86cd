package dev.tributary.db.entity;

import java.util.List;

/**
 * What writing a batch did — or, for a dry run, would do: rows new, changed,
 * unchanged (left untouched), and newly archived; with up to {@code sampleSize}
 * external ids of each kind for previews.
 */
public record WriteResult(long created, long updated, long unchanged, long archived,
                          List<String> createdSample, List<String> updatedSample, List<String> archivedSample) {

    public static final WriteResult NONE = new WriteResult(0, 0, 0, 0, List.of(), List.of(), List.of());
}
