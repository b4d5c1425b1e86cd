package dev.tributary.db;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Connections as the owner of schema {@code tributary} ({@code tributary.migration.*},
 * default the datasource's login), for schema changes only: Flyway's migrations and
 * the per-connector ones. Everything else runs as {@code tributary_app} through the pool.
 */
@Singleton
public class OwnerConnection {

    private final String url;
    private final String username;
    private final String password;
    private final String runtimeUsername;

    public OwnerConnection(@Value("${datasources.default.url}") String url,
                           @Value("${datasources.default.username}") String runtimeUsername,
                           @Value("${datasources.default.password:}") String runtimePassword,
                           MigrationConfiguration owner) {
        this.url = url;
        this.runtimeUsername = runtimeUsername;
        this.username = owner.username() == null ? runtimeUsername : owner.username();
        this.password = owner.username() == null ? runtimePassword
                : owner.password() == null ? "" : owner.password();
    }

    public Connection open() throws SQLException {
        return DriverManager.getConnection(url, username, password);
    }

    String url() {
        return url;
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    /** The login the service's pool uses (it gets {@code tributary_app} granted after each migrate). */
    String runtimeUsername() {
        return runtimeUsername;
    }
}
