package dev.tributary.connector.json;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page.RecordFailure;
import dev.tributary.connector.StorableTime;

import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
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
 * change time and creation time (ISO-8601 with offset, or epoch seconds), and an optional
 * "archived when this field equals that value" rule — or says why it cannot (a time that is
 * not one, or lies outside the years 1 to 9999, fails that record and names its field).
 */
public final class JsonRecordNormalizer {

    /** Exactly one of the two is set. */
    public record Outcome(NormalizedEntity entity, RecordFailure failure) {
    }

    private final String collectionKey;
    private final List<String> idPointers;
    private final String updatedAtPointer;
    private final String createdAtPointer;
    private final String archivedPointer;
    private final String archivedValue;
    private final Set<String> ignoredFields;
    private final Clock clock;

    /**
     * @param updatedAtPointer where a record says when it last changed, or null
     * @param createdAtPointer where a record says when it was created, or null
     * @param ignoredFields    top-level fields left out of every stored payload (and so of its hash)
     */
    public JsonRecordNormalizer(String collectionKey, List<String> idPointers, String updatedAtPointer,
                                String createdAtPointer, String archivedPointer, String archivedValue,
                                Set<String> ignoredFields, Clock clock) {
        this.collectionKey = collectionKey;
        this.idPointers = List.copyOf(idPointers);
        this.updatedAtPointer = updatedAtPointer;
        this.createdAtPointer = createdAtPointer;
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
        try {
            Instant updatedAt = time(record, updatedAtPointer);
            Instant createdAt = time(record, createdAtPointer);
            Instant archivedAt = null;
            if (archivedPointer != null && archivedValue.equals(CanonicalJson.scalarAt(record, archivedPointer))) {
                archivedAt = updatedAt != null ? updatedAt : clock.instant();
            }
            return new Outcome(NormalizedEntity.of(id, collectionKey, CanonicalJson.without(record, ignoredFields),
                    archivedAt, createdAt, updatedAt), null);
        } catch (IllegalArgumentException unreadableOrUnstorableTime) {
            return new Outcome(null, new RecordFailure(id, ConnectorException.describe(unreadableOrUnstorableTime)));
        }
    }

    /**
     * The time at {@code pointer} (ISO-8601 with an offset, or epoch seconds), null when the record has none.
     *
     * @throws IllegalArgumentException naming the pointer when the value is not a time, or not a storable one
     */
    private static Instant time(CanonicalJson.Value record, String pointer) {
        String text = pointer == null ? null : CanonicalJson.scalarAt(record, pointer);
        if (text == null) {
            return null;
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notIso) {
            try {
                time = Instant.ofEpochSecond(Long.parseLong(text));
            } catch (NumberFormatException | DateTimeException notEpoch) {
                throw new IllegalArgumentException(pointer + " is not a time: " + text);
            }
        }
        StorableTime.require(time, pointer);
        return time;
    }
}
