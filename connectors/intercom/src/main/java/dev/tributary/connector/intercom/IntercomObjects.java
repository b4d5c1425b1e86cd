package dev.tributary.connector.intercom;

import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.UnixSeconds;
import dev.tributary.connector.json.CanonicalJson;

import java.time.Instant;

/**
 * Intercom objects as entities: the id, {@code created_at} and {@code updated_at} (epoch
 * seconds) as the source times — admins and tags have none, so the time Intercom vouched
 * for them stands in — and an archived contact gets {@code archived_at}. An object without an
 * id, or with a time that is not a Unix time or cannot be stored, is refused with an
 * {@link IllegalArgumentException} naming the field, which callers record as its failure.
 */
final class IntercomObjects {

    private IntercomObjects() {
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
