package dev.tributary.connector;

import java.time.Instant;
import java.util.List;

/**
 * One batch of a fetch: the entities that normalized, the records that did not
 * (each failure is recorded and counted, and does not stop the run), the objects
 * the source says were deleted (only a change feed knows that; a full fetch finds
 * deletions by what it did not see), and the opaque {@code cursor} the fetch reached
 * after this page — null when the fetch is complete or cannot be resumed part-way.
 * The engine stores the cursor with the page, in one transaction, so a run that
 * stops between pages resumes here.
 */
public record Page(String collectionKey, List<NormalizedEntity> entities, List<RecordFailure> failures,
                   List<Removal> removals, String cursor) {

    public Page {
        entities = List.copyOf(entities);
        failures = List.copyOf(failures);
        removals = List.copyOf(removals);
    }

    public Page(String collectionKey, List<NormalizedEntity> entities, List<RecordFailure> failures, String cursor) {
        this(collectionKey, entities, failures, List.of(), cursor);
    }

    /**
     * The source deleted this object at {@code deletedAt}; a row stored with a later source
     * time (it came back, or a newer write landed meanwhile) is left alone.
     */
    public record Removal(String externalId, Instant deletedAt) {
    }

    /** A source record that could not be normalized; {@code externalId} is null when even the id is missing. */
    public record RecordFailure(String externalId, String reason) {
    }
}
