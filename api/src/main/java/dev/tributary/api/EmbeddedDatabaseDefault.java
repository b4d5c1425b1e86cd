package dev.tributary.api;

import dev.tributary.db.EmbeddedPostgresServer;
import io.micronaut.context.ApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What a newcomer gets when no database is configured: an embedded PostgreSQL
 * keeping its data under {@code tributary.embedded-db.directory} (default
 * {@code .tributary/pgdata}) on {@code tributary.embedded-db.port} (default 5433),
 * so other local nodes can join it; and, unless {@code TRIBUTARY_MASTER_KEY} is
 * set, a master key generated once and kept beside the data ({@code master.key}),
 * so credentials sealed in one run open in the next.
 */
record EmbeddedDatabaseDefault(Path directory, int port, boolean needsMasterKey) {

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
            boolean needsMasterKey = environment.getProperty("tributary.master-key", String.class)
                    .filter(s -> !s.isBlank()).isEmpty();
            return new EmbeddedDatabaseDefault(Path.of(directory).toAbsolutePath(), port, needsMasterKey);
        }
    }

    EmbeddedPostgresServer start() {
        System.err.println("tributary: no DATASOURCES_DEFAULT_URL set; starting the embedded PostgreSQL in "
                + directory + " on port " + port);
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory, port);
        server.createDatabaseIfMissing(DATABASE);
        return server;
    }

    Map<String, Object> properties(EmbeddedPostgresServer server) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "datasources.default.url", server.jdbcUrl(DATABASE),
                "datasources.default.username", EmbeddedPostgresServer.SUPERUSER,
                "datasources.default.password", ""));
        if (needsMasterKey) {
            properties.put("tributary.master-key", localMasterKey());
        }
        return properties;
    }

    private String localMasterKey() {
        Path file = directory.resolveSibling("master.key");
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.writeString(file, Base64.getEncoder().encodeToString(key));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                System.err.println("tributary: no TRIBUTARY_MASTER_KEY set; generated a local one in " + file);
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the local master key in " + file, e);
        }
    }
}
