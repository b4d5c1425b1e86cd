package dev.tributary.connector.json;

import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page.RecordFailure;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns one JSON record into a {@link NormalizedEntity} by JSON pointers, parsing it
 * at most once (a stream hands over records it already parsed): the
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
    private final Set<String> ignoredFields;
    private final Clock clock;

    /**
     * @param ignoredFields top-level fields left out of every stored payload (and so of its hash)
     */
    public JsonRecordNormalizer(String collectionKey, List<String> idPointers, String updatedAtPointer,
                                String archivedPointer, String archivedValue, Set<String> ignoredFields, Clock clock) {
        this.collectionKey = collectionKey;
        this.idPointers = List.copyOf(idPointers);
        this.updatedAtPointer = updatedAtPointer;
        this.archivedPointer = archivedPointer;
        this.archivedValue = archivedValue;
        this.ignoredFields = Set.copyOf(ignoredFields);
        this.clock = clock;
    }

    /** Normalizes a record given as JSON text. */
    public Outcome normalize(String raw) {
        CanonicalJson.Value record;
        try {
            record = CanonicalJson.parse(raw);
        } catch (IOException e) {
            return new Outcome(null, new RecordFailure(null, "record is not valid JSON"));
        }
        return normalize(record);
    }

    /** Normalizes a record already parsed (as a stream cut it out of a page). */
    public Outcome normalize(CanonicalJson.Value record) {
        List<String> idParts = new ArrayList<>();
        for (String pointer : idPointers) {
            String part = CanonicalJson.scalarAt(record, pointer);
            if (part == null || part.isEmpty()) {
                return new Outcome(null, new RecordFailure(null, "record has no id at " + pointer));
            }
            idParts.add(part);
        }
        String id = String.join(":", idParts);
        Instant updatedAt = null;
        String updatedAtText = updatedAtPointer == null ? null : CanonicalJson.scalarAt(record, updatedAtPointer);
        if (updatedAtText != null) {
            updatedAt = instant(updatedAtText);
            if (updatedAt == null) {
                return new Outcome(null, new RecordFailure(id, updatedAtPointer + " is not a time: " + updatedAtText));
            }
        }
        Instant archivedAt = null;
        if (archivedPointer != null && archivedValue.equals(CanonicalJson.scalarAt(record, archivedPointer))) {
            archivedAt = updatedAt != null ? updatedAt : clock.instant();
        }
        return new Outcome(NormalizedEntity.of(id, collectionKey, CanonicalJson.without(record, ignoredFields),
                archivedAt, null, updatedAt), null);
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
