package dev.tributary.connector;

import java.util.List;

/**
 * One batch of a fetch. {@code cursor} is the opaque position the fetch reached
 * after this page; the engine stores it with the page, in one transaction, so a
 * run that stops between pages resumes here.
 */
public record Page(String collectionKey, List<NormalizedEntity> entities, String cursor) {

    public Page {
        entities = List.copyOf(entities);
    }
}
