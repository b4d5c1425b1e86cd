package dev.tributary.connector.testkit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record a fake server holds: its id, when it was created and last changed, and
 * its other fields (strings, numbers, booleans, null or nested maps/lists).
 */
public record FakeRecord(String id, Instant createdAt, Instant updatedAt, Map<String, Object> fields) {

    public FakeRecord {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The record as the API returns it: {@code id}, {@code created_at}, {@code updated_at}, then the fields. */
    Map<String, Object> asJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("created_at", createdAt.toString());
        json.put("updated_at", updatedAt.toString());
        json.putAll(fields);
        return json;
    }
}
