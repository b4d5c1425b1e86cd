package dev.tributary.connector.intercom;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.UnixSeconds;
import dev.tributary.connector.json.CanonicalJson;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Intercom objects as entities: the id, {@code created_at} and {@code updated_at} (epoch
 * seconds) as the source times — admins and tags have none, so the time Intercom vouched
 * for them stands in — and an archived contact gets {@code archived_at}. An object without an
 * id, or with a time that is not a Unix time or cannot be stored, is refused with an
 * {@link IllegalArgumentException} naming the field, which callers record as its failure.
 */
final class IntercomObjects {

    /** What an Intercom object id looks like; anything else would change the request's path. */
    private static final Pattern INTERCOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private IntercomObjects() {
    }

    /** Refuses, before any request, an id that is not letters, digits, {@code _} and {@code -} (at most 255). */
    static String requireId(String id) throws ConnectorException.Rejected {
        if (!INTERCOM_ID.matcher(id).matches()) {
            throw new ConnectorException.Rejected(id.length() > 255 ? "an Intercom id is at most 255 characters"
                    : "\"" + id + "\" is not an Intercom id (letters, digits, _ and -)");
        }
        return id;
    }

    /**
     * @param observedAt when Intercom vouched for this state (a list read, a notification), used when the
     *                   object carries no {@code updated_at}
     * @param archivedAt set when the caller knows the object was archived then (a contact.archived notification)
     */
    static NormalizedEntity entity(IntercomCollection collection, CanonicalJson.Value object, Instant observedAt,
                                   Instant archivedAt) {
        String id = CanonicalJson.scalarAt(object, "/id");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("an Intercom " + collection.type + " without an id");
        }
        Instant updatedAt = UnixSeconds.at(object, "updated_at");
        Instant sourceTime = updatedAt != null ? updatedAt : observedAt;
        if (archivedAt == null && "true".equals(CanonicalJson.scalarAt(object, "/archived"))) {
            archivedAt = sourceTime;
        }
        return NormalizedEntity.of(id, collection.key, object, archivedAt, UnixSeconds.at(object, "created_at"), sourceTime);
    }
}
