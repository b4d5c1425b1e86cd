package dev.tributary.api.record;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A JSON value as PostgreSQL stored it (jsonb's text). {@link StoredJsonSerializer} writes it
 * into a response as JSON, not as a string.
 */
@Schema(type = "object", description = "a JSON value as synced: for a record's payload, the object itself")
record StoredJson(@Schema(hidden = true) String text) {
}
