package dev.tributary.scheduler.filter;

/**
 * A new saved filter as a request gives it; every member is checked by {@link SavedFilters}, so any may be
 * null here. {@code filterConfig} is the filter as its JSON deserialized ({@code Map}, …), read strictly there.
 */
public record SavedFilterDefinition(String name, String description, String sourceAppKey, String collection,
                                    String targetAppKey, String targetCollection, Object filterConfig) {
}
