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
 * <p>Its times must lie in the years 1 to 9999 ({@link #requireStorable}): PostgreSQL's
 * timestamptz stops at 4713 BC and 294276 AD, and a source that sends a time outside that
 * (a created of 253402300800000, a year 999999) must fail that one record — which every
 * connector reports as a per-record failure, or a rejected webhook — not the write of a page.
 */
public record NormalizedEntity(String externalId, String collectionKey, String rawPayload, byte[] contentHash,
                               Instant archivedAt, Instant sourceCreatedAt, Instant sourceUpdatedAt) {

    /** The earliest time stored: the first instant of year 1. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    /** The latest time stored: the last instant of year 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public NormalizedEntity {
        if (externalId == null || externalId.isEmpty()) {
            throw new IllegalArgumentException("external_id is empty");
        }
        Identifiers.requireKey(collectionKey, "collection_key");
        Objects.requireNonNull(rawPayload, "raw_payload");
        Objects.requireNonNull(contentHash, "content_hash");
        requireStorable(archivedAt, "archived_at");
        requireStorable(sourceCreatedAt, "source_created_at");
        requireStorable(sourceUpdatedAt, "source_updated_at");
    }

    /**
     * Refuses a time outside the years 1 to 9999, naming {@code field}; null (no time) passes.
     *
     * @throws IllegalArgumentException saying which field holds which time
     */
    public static void requireStorable(Instant time, String field) {
        if (time != null && (time.isBefore(EARLIEST) || time.isAfter(LATEST))) {
            throw new IllegalArgumentException(field + " " + time + " lies outside the years 1 to 9999");
        }
    }

    /**
     * Whether the source says this entity was created before {@code syncFrom} (the app's
     * {@code sync_from}), so it lies outside what the app syncs. An entity without a creation
     * time cannot be told and is not; nor is any when there is no {@code syncFrom}.
     */
    public boolean createdBefore(Instant syncFrom) {
        return syncFrom != null && sourceCreatedAt != null && sourceCreatedAt.isBefore(syncFrom);
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
