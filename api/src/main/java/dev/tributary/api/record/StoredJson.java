package dev.tributary.api.record;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A JSON value as PostgreSQL stored it (jsonb's text). {@link StoredJsonSerializer} writes it
 * into a response as JSON, not as a string.
 */
@Schema(name = "Payload", type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
        description = "the record as synced: the source's JSON object, its numbers exactly as stored")
record StoredJson(@Schema(hidden = true) String text) {
}
