package dev.tributary.connector;

import java.util.List;

/**
 * One batch of a fetch: the entities that normalized, the records that did not
 * (each failure is recorded and counted, and does not stop the run), and the
 * opaque {@code cursor} the fetch reached after this page — null when the fetch is
 * complete. The engine stores the cursor with the page, in one transaction, so a
 * run that stops between pages resumes here.
 */
public record Page(String collectionKey, List<NormalizedEntity> entities, List<RecordFailure> failures,
                   String cursor) {

    public Page {
        entities = List.copyOf(entities);
        failures = List.copyOf(failures);
    }

    /** A source record that could not be normalized; {@code externalId} is null when even the id is missing. */
    public record RecordFailure(String externalId, String reason) {
    }
}
