package dev.tributary.scheduler;

import dev.tributary.connector.ConnectorMetadata;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.db.connector.ConnectorMigrations;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Order;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * Each connector's own SQL (its views and indexes: db's {@link ConnectorMigrations}) for the
 * connectors apps use, read from the folder the connector's metadata names: all of them when a
 * node starts (unless {@code tributary.migrate-on-start} is false: the {@code migrate} command
 * applies them then), and a connector's when a tenant creates its first app of it.
 */
@Singleton
public class ConnectorSchemas {

    private final ConnectorRegistry registry;
    private final ConnectorMigrations migrations;
    private final boolean migrateOnStart;

    ConnectorSchemas(ConnectorRegistry registry, ConnectorMigrations migrations,
                     @Value("${tributary.migrate-on-start:true}") boolean migrateOnStart) {
        this.registry = registry;
        this.migrations = migrations;
        this.migrateOnStart = migrateOnStart;
    }

    /** Where a connector's migrations are, as its metadata says. */
    public static ConnectorMigrations.Location location(ConnectorMetadata metadata) {
        return new ConnectorMigrations.Location(metadata.provider(), metadata.migrationsPath());
    }

    @EventListener
    @Order(5)
    void applyForConnectorsInUse(StartupEvent event) {
        if (!migrateOnStart) {
            return;
        }
        migrations.connectorsInUse().forEach(this::applyFor);
    }

    /** Applies the migrations of the connector {@code provider} that have not run yet; 0 for a connector this node lacks. */
    public int applyFor(String provider) {
        return registry.byProvider(provider).map(connector -> migrations.applyFor(location(connector.metadata())))
                .orElse(0);
    }
}
