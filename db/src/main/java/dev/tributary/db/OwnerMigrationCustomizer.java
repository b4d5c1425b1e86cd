package dev.tributary.db;

import io.micronaut.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.util.Map;

/**
 * Points Flyway at the database with the owner's credentials rather than the
 * service's pool (whose connections act as {@code tributary_app}), and tells the
 * {@code afterMigrate} callback which login the service uses.
 */
@Singleton
@Named("default")
final class OwnerMigrationCustomizer implements FlywayConfigurationCustomizer {

    private final OwnerConnection owner;

    OwnerMigrationCustomizer(OwnerConnection owner) {
        this.owner = owner;
    }

    @Override
    public void customizeFluentConfiguration(FluentConfiguration configuration) {
        configuration.dataSource(owner.url(), owner.username(), owner.password())
                .placeholders(Map.of("runtimeuser", owner.runtimeUsername()));
    }

    @Override
    public String getName() {
        return "default";
    }
}
