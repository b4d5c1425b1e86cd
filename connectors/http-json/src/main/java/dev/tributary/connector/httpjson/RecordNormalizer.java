package dev.tributary.connector.httpjson;

import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page.RecordFailure;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;

/** Turns one raw JSON record into a {@link NormalizedEntity} by the app's field settings, or says why it cannot. */
final class RecordNormalizer {

    /** Exactly one of the two is set. */
    record Outcome(NormalizedEntity entity, RecordFailure failure) {
    }

    private static final String NO_ARRAY = "\u0000";

    private final HttpJsonConfig config;
    private final String collectionKey;
    private final Clock clock;
    private final Set<String> wanted = new HashSet<>();

    RecordNormalizer(HttpJsonConfig config, String collectionKey, Clock clock) {
        this.config = config;
        this.collectionKey = collectionKey;
        this.clock = clock;
        wanted.add(config.idField());
        if (config.updatedAtField() != null) {
            wanted.add(config.updatedAtField());
        }
        if (config.archived() != null) {
            wanted.add(config.archived().field());
        }
    }

    Outcome normalize(String raw) {
        JsonDocumentReader.Result fields;
        try {
            fields = JsonDocumentReader.read(raw, NO_ARRAY, wanted);
        } catch (IOException e) {
            return new Outcome(null, new RecordFailure(null, "record is not valid JSON"));
        }
        String id = fields.values().get(config.idField());
        if (id == null || id.isEmpty()) {
            return new Outcome(null, new RecordFailure(null, "record has no id at " + config.idField()));
        }
        Instant updatedAt = null;
        if (config.updatedAtField() != null && fields.values().get(config.updatedAtField()) != null) {
            updatedAt = instant(fields.values().get(config.updatedAtField()));
            if (updatedAt == null) {
                return new Outcome(null, new RecordFailure(id, config.updatedAtField() + " is not a time: "
                        + fields.values().get(config.updatedAtField())));
            }
        }
        Instant archivedAt = null;
        if (config.archived() != null && config.archived().equals().equals(fields.values().get(config.archived().field()))) {
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
