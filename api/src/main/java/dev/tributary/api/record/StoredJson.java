package dev.tributary.api.record;

/**
 * A JSON value as PostgreSQL stored it (jsonb's text). {@link StoredJsonSerializer} writes it
 * into a response as JSON, not as a string.
 */
record StoredJson(String text) {
}
