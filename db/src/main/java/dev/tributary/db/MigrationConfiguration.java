package dev.tributary.db;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Who migrates the schema ({@code tributary.migration.*}): the owner of the
 * {@code tributary} tables. Unset, the datasource's own login migrates; either
 * way the service itself then runs as {@code tributary_app}.
 */
@ConfigurationProperties("tributary.migration")
public record MigrationConfiguration(@Nullable String username, @Nullable String password) {
}
