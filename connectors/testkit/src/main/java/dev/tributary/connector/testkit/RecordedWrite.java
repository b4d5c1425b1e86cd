package dev.tributary.connector.testkit;

import java.util.Map;

/**
 * One write a fake server accepted, as a test reads it back: the method, the path it was sent to, the id of
 * the record it created or changed, and the body as sent (plain JSON values).
 */
public record RecordedWrite(String method, String path, String id, Map<String, Object> body) {

    public RecordedWrite {
        body = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(body));
    }
}
