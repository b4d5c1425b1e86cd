package dev.tributary.connector;

import dev.tributary.connector.json.CanonicalJson;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One provider object in the shape the engine stores: its id within the collection,
 * its payload as canonical JSON text (see {@link CanonicalJson}) with that text's
 * SHA-256 as the content hash, and the few fields the engine reads. {@code archivedAt}
 * is set when the source says the object is archived, inactive or trashed.
 *
 * <p>Its times must be ones PostgreSQL stores ({@link StorableTime}): a source that sends a
 * time outside the years 1 to 9999 (a created of 253402300800000, a year 999999) must fail that
 * one record — which every connector reports as a per-record failure, or a rejected webhook —
 * not the write of a page.
 */
public record NormalizedEntity(String externalId, String collectionKey, String rawPayload, byte[] contentHash,
                               Instant archivedAt, Instant sourceCreatedAt, Instant sourceUpdatedAt) {

    public NormalizedEntity {
        if (externalId == null || externalId.isEmpty()) {
            throw new IllegalArgumentException("external_id is empty");
        }
        Identifiers.requireKey(collectionKey, "collection_key");
        Objects.requireNonNull(rawPayload, "raw_payload");
        Objects.requireNonNull(contentHash, "content_hash");
        StorableTime.require(archivedAt, "archived_at");
        StorableTime.require(sourceCreatedAt, "source_created_at");
        StorableTime.require(sourceUpdatedAt, "source_updated_at");
    }

    /**
     * Whether the source says this entity was created before {@code syncFrom} (the app's
     * {@code sync_from}): what a connector drops while reading, as a source filtering by creation
     * time would. An entity without a creation time cannot be told and is not; nor is any when
     * there is no {@code syncFrom}.
     */
    public boolean createdBefore(Instant syncFrom) {
        return syncFrom != null && sourceCreatedAt != null && sourceCreatedAt.isBefore(syncFrom);
    }

    /**
     * Whether this entity lies before {@code syncFrom} as far as it tells: by its creation time when
     * it has one, else by its last change (a record changed before sync_from was created before it
     * too) — what the engine leaves out of a page. An entity with neither time is kept, since
     * nothing says it is older.
     */
    public boolean outsideSyncFrom(Instant syncFrom) {
        if (syncFrom == null || sourceCreatedAt != null) {
            return createdBefore(syncFrom);
        }
        return sourceUpdatedAt != null && sourceUpdatedAt.isBefore(syncFrom);
    }

    /** An entity whose stored payload is the canonical form of {@code payload}, hashed once. */
    public static NormalizedEntity of(String externalId, String collectionKey, CanonicalJson.Value payload,
                                      Instant archivedAt, Instant sourceCreatedAt, Instant sourceUpdatedAt) {
        CanonicalJson.Text text = CanonicalJson.text(payload);
        return new NormalizedEntity(externalId, collectionKey, text.json(), text.sha256(), archivedAt, sourceCreatedAt,
                sourceUpdatedAt);
    }

    /** Records compare arrays by identity; the hash is compared by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof NormalizedEntity that && externalId.equals(that.externalId)
                && collectionKey.equals(that.collectionKey) && rawPayload.equals(that.rawPayload)
                && Arrays.equals(contentHash, that.contentHash) && Objects.equals(archivedAt, that.archivedAt)
                && Objects.equals(sourceCreatedAt, that.sourceCreatedAt)
                && Objects.equals(sourceUpdatedAt, that.sourceUpdatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(externalId, collectionKey, rawPayload, Arrays.hashCode(contentHash), archivedAt,
                sourceCreatedAt, sourceUpdatedAt);
    }

    @Override
    public String toString() {
        return "NormalizedEntity[externalId=" + externalId + ", collectionKey=" + collectionKey + ", rawPayload="
                + rawPayload + ", contentHash=" + HexFormat.of().formatHex(contentHash) + ", archivedAt=" + archivedAt
                + ", sourceCreatedAt=" + sourceCreatedAt + ", sourceUpdatedAt=" + sourceUpdatedAt + "]";
    }
}
