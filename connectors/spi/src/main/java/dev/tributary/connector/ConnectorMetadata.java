package dev.tributary.connector;

import java.util.List;
import java.util.Optional;

/**
 * What a connector declares about itself. Its numbered SQL migrations, if any,
 * live on the classpath under {@link #migrationsPath()}.
 */
public record ConnectorMetadata(String provider, String apiVersion, List<CollectionSpec> collections,
                                Capabilities capabilities) {

    public ConnectorMetadata {
        Identifiers.requireKey(provider, "provider");
        collections = List.copyOf(collections);
        if (collections.stream().map(CollectionSpec::collectionKey).distinct().count() != collections.size()) {
            throw new IllegalArgumentException("connector " + provider + " declares a collection_key twice");
        }
    }

    /** The classpath folder of this connector's migrations: {@code connectors/<provider>/migrations}. */
    public String migrationsPath() {
        return migrationsPath(provider);
    }

    public static String migrationsPath(String provider) {
        return "connectors/" + provider + "/migrations";
    }

    public Optional<CollectionSpec> collection(String collectionKey) {
        return collections.stream().filter(c -> c.collectionKey().equals(collectionKey)).findFirst();
    }
}
