package dev.tributary.connector.json;

import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page.RecordFailure;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns one raw JSON record into a {@link NormalizedEntity} by JSON pointers: the
 * id (several fields make a composite id joined by {@code :}), an optional
 * change time (ISO-8601 with offset, or epoch seconds), and an optional "archived
 * when this field equals that value" rule — or says why it cannot.
 */
public final class JsonRecordNormalizer {

    /** Exactly one of the two is set. */
    public record Outcome(NormalizedEntity entity, RecordFailure failure) {
    }

    private final String collectionKey;
    private final List<String> idPointers;
    private final String updatedAtPointer;
    private final String archivedPointer;
    private final String archivedValue;
    private final Clock clock;
    private final Set<String> wanted = new HashSet<>();

    public JsonRecordNormalizer(String collectionKey, List<String> idPointers, String updatedAtPointer,
                                String archivedPointer, String archivedValue, Clock clock) {
        this.collectionKey = collectionKey;
        this.idPointers = List.copyOf(idPointers);
        this.updatedAtPointer = updatedAtPointer;
        this.archivedPointer = archivedPointer;
        this.archivedValue = archivedValue;
        this.clock = clock;
        wanted.addAll(idPointers);
        if (updatedAtPointer != null) {
            wanted.add(updatedAtPointer);
        }
        if (archivedPointer != null) {
            wanted.add(archivedPointer);
        }
    }

    public Outcome normalize(String raw) {
        JsonDocumentReader.Result fields;
        try {
            fields = JsonDocumentReader.read(raw, JsonDocumentReader.NO_RECORDS, wanted);
        } catch (IOException e) {
            return new Outcome(null, new RecordFailure(null, "record is not valid JSON"));
        }
        List<String> idParts = new ArrayList<>();
        for (String pointer : idPointers) {
            String part = fields.values().get(pointer);
            if (part == null || part.isEmpty()) {
                return new Outcome(null, new RecordFailure(null, "record has no id at " + pointer));
            }
            idParts.add(part);
        }
        String id = String.join(":", idParts);
        Instant updatedAt = null;
        if (updatedAtPointer != null && fields.values().get(updatedAtPointer) != null) {
            updatedAt = instant(fields.values().get(updatedAtPointer));
            if (updatedAt == null) {
                return new Outcome(null, new RecordFailure(id, updatedAtPointer + " is not a time: "
                        + fields.values().get(updatedAtPointer)));
            }
        }
        Instant archivedAt = null;
        if (archivedPointer != null && archivedValue.equals(fields.values().get(archivedPointer))) {
            archivedAt = updatedAt != null ? updatedAt : clock.instant();
        }
        return new Outcome(new NormalizedEntity(id, collectionKey, raw, archivedAt, null, updatedAt), null);
    }

    /** ISO-8601 with an offset, or epoch seconds. */
    private static Instant instant(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notIso) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(value));
            } catch (NumberFormatException notEpoch) {
                return null;
            }
        }
    }
}
