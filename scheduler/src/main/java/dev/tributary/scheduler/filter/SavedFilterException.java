package dev.tributary.scheduler.filter;

import dev.tributary.scheduler.Refusal;

import java.util.UUID;

/**
 * What only {@link SavedFilters} refuses, as a type, so the API says each in its own terms; a member missing or
 * wrong and the checks of a push's two ends are {@link Refusal}s. Nothing was stored when one is thrown.
 */
public abstract sealed class SavedFilterException extends RuntimeException {

    private SavedFilterException(String message) {
        super(message, null, false, false);
    }

    /** No saved filter with this id in the caller's scope: none at all, another owner's or another tenant's. */
    public static final class NotFound extends SavedFilterException {
        public NotFound(UUID id) {
            super("No saved filter " + id);
        }
    }

    /** The owner already has a saved filter of this name (perhaps made a moment ago by another request). */
    public static final class AlreadyExists extends SavedFilterException {
        public AlreadyExists(String name) {
            super("A saved filter named " + name + " exists already");
        }
    }
}
