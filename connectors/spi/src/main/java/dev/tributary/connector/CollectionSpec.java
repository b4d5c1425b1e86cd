package dev.tributary.connector;

/** One collection a connector syncs: the provider's resource and the key its entities are stored under. */
public record CollectionSpec(String collectionKey, String resource) {

    public CollectionSpec {
        Identifiers.requireKey(collectionKey, "collection_key");
        if (resource == null || resource.isBlank()) {
            throw new IllegalArgumentException("resource of " + collectionKey + " is blank");
        }
    }
}
