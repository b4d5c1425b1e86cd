package dev.tributary.scheduler.filter;

/**
 * A change to a saved filter: each non-null member replaces the filter's, null ones stay as they are. Its
 * source, collection and target app never change (a filter for other records is another filter).
 */
public record SavedFilterChange(String name, String description, String targetCollection, Object filterConfig) {
}
