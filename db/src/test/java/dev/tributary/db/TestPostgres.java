package dev.tributary.db;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The PostgreSQL server tests run against (DESIGN.md §10): a Testcontainers
 * container when a Docker engine answers, otherwise the server named by
 * {@code TRIBUTARY_TEST_DB_URL} (with {@code TRIBUTARY_TEST_DB_USERNAME} /
 * {@code TRIBUTARY_TEST_DB_PASSWORD}, a role allowed to create databases and
 * roles), otherwise an embedded PostgreSQL started for this JVM. Every caller
 * of {@link #freshDatabase()} gets a database of its own, so test classes and
 * test runs never see each other's rows.
 */
public final class TestPostgres {

    private record Server(String host, int port, String username, String password) {
        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private static final String RUNTIME_LOGIN = "tributary_runtime";
    private static final String RUNTIME_PASSWORD = "runtime-secret";

    private static Server server;

    private TestPostgres() {
    }

    public static TestDatabase freshDatabase() {
        Server s = server();
        String name = "tributary_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(s.jdbcUrl("postgres"), s.username(), s.password())) {
            connection.createStatement().execute("CREATE DATABASE " + name);
            connection.createStatement().execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
                    + RUNTIME_LOGIN + "') THEN CREATE ROLE " + RUNTIME_LOGIN + " LOGIN PASSWORD '" + RUNTIME_PASSWORD
                    + "'; END IF; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new TestDatabase(s.jdbcUrl(name), s.username(), s.password(), RUNTIME_LOGIN, RUNTIME_PASSWORD);
    }

    private static synchronized Server server() {
        if (server == null) {
            server = startServer();
        }
        return server;
    }

    private static Server startServer() {
        String url = System.getenv("TRIBUTARY_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return external(url);
        }
        if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17");
            container.start();
            return new Server(container.getHost(), container.getFirstMappedPort(),
                    container.getUsername(), container.getPassword());
        }
        try {
            var dataDirectory = Files.createTempDirectory("tributary-test-pg");
            var embedded = EmbeddedPostgresServer.start(dataDirectory, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
            return new Server("localhost", embedded.port(), EmbeddedPostgresServer.SUPERUSER, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Server external(String url) {
        // jdbc:postgresql://host:port/database — the database part is replaced per test.
        var hostPort = url.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
        var host = hostPort.contains(":") ? hostPort.substring(0, hostPort.indexOf(':')) : hostPort;
        var port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1)) : 5432;
        var username = System.getenv().getOrDefault("TRIBUTARY_TEST_DB_USERNAME", "postgres");
        var password = System.getenv().getOrDefault("TRIBUTARY_TEST_DB_PASSWORD", "");
        return new Server(host, port, username, password);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
