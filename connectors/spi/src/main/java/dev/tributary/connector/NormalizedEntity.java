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
