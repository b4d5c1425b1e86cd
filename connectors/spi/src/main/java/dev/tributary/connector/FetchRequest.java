package dev.tributary.connector;

import java.time.Instant;

/**
 * What to fetch from one collection: everything ({@code modifiedSince} null), or
 * only what changed since a time, continuing from {@code cursor} when a previous
 * run stopped part-way.
 */
public record FetchRequest(String collectionKey, Instant modifiedSince, String cursor) {

    public static FetchRequest full(String collectionKey) {
        return new FetchRequest(collectionKey, null, null);
    }

    public boolean incremental() {
        return modifiedSince != null;
    }
}
