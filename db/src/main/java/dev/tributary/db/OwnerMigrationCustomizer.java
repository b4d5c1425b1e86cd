package dev.tributary.db;

import io.micronaut.context.annotation.Value;
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

    private final String url;
    private final String runtimeUsername;
    private final String ownerUsername;
    private final String ownerPassword;

    OwnerMigrationCustomizer(@Value("${datasources.default.url}") String url,
                             @Value("${datasources.default.username}") String runtimeUsername,
                             @Value("${datasources.default.password:}") String runtimePassword,
                             MigrationConfiguration owner) {
        this.url = url;
        this.runtimeUsername = runtimeUsername;
        this.ownerUsername = owner.username() == null ? runtimeUsername : owner.username();
        this.ownerPassword = owner.username() == null ? runtimePassword
                : owner.password() == null ? "" : owner.password();
    }

    @Override
    public void customizeFluentConfiguration(FluentConfiguration configuration) {
        configuration.dataSource(url, ownerUsername, ownerPassword)
                .placeholders(Map.of("runtimeuser", runtimeUsername));
    }

    @Override
    public String getName() {
        return "default";
    }
}
