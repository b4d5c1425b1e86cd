package dev.tributary.connector;

import java.util.List;
import java.util.Optional;

/**
 * What a connector declares about itself. {@code migrationsPath} is the classpath
 * folder of its numbered SQL migrations (e.g. {@code connectors/stripe/migrations}).
 */
public record ConnectorMetadata(String provider, String apiVersion, List<CollectionSpec> collections,
                                Capabilities capabilities, String migrationsPath) {

    public ConnectorMetadata {
        Identifiers.requireKey(provider, "provider");
        collections = List.copyOf(collections);
        if (collections.stream().map(CollectionSpec::collectionKey).distinct().count() != collections.size()) {
            throw new IllegalArgumentException("connector " + provider + " declares a collection_key twice");
        }
    }

    public Optional<CollectionSpec> collection(String collectionKey) {
        return collections.stream().filter(c -> c.collectionKey().equals(collectionKey)).findFirst();
    }
}
