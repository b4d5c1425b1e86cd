package dev.tributary.api;

import dev.tributary.db.EmbeddedPostgresServer;
import io.micronaut.context.ApplicationContext;

import java.nio.file.Path;
import java.util.Map;

/**
 * The database a newcomer gets when none is configured: an embedded PostgreSQL
 * keeping its data under {@code tributary.embedded-db.directory} (default
 * {@code .tributary/pgdata}) on {@code tributary.embedded-db.port} (default 5433),
 * so other local nodes can join it.
 */
record EmbeddedDatabaseDefault(Path directory, int port) {

    static final String DATABASE = "tributary";

    /** The embedded default to start, or null when a datasource URL is configured. */
    static EmbeddedDatabaseDefault fromEnvironment(String[] args) {
        try (ApplicationContext probe = ApplicationContext.builder().args(args).deduceEnvironment(false).build()) {
            var environment = probe.getEnvironment().start();
            if (environment.getProperty("datasources.default.url", String.class).filter(s -> !s.isBlank()).isPresent()) {
                return null;
            }
            String directory = environment.getProperty("tributary.embedded-db.directory", String.class)
                    .orElse(".tributary/pgdata");
            int port = environment.getProperty("tributary.embedded-db.port", Integer.class).orElse(5433);
            return new EmbeddedDatabaseDefault(Path.of(directory).toAbsolutePath(), port);
        }
    }

    EmbeddedPostgresServer start() {
        System.err.println("tributary: no DATASOURCES_DEFAULT_URL set; starting the embedded PostgreSQL in "
                + directory + " on port " + port);
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory, port);
        server.createDatabaseIfMissing(DATABASE);
        return server;
    }

    Map<String, Object> datasourceProperties(EmbeddedPostgresServer server) {
        return Map.of(
                "datasources.default.url", server.jdbcUrl(DATABASE),
                "datasources.default.username", EmbeddedPostgresServer.SUPERUSER,
                "datasources.default.password", "");
    }
}
