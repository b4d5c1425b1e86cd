package dev.tributary.openapi;

import dev.tributary.db.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * {@code api/target/tributary.jar} started as operators start it — {@code java -jar}, configured by environment
 * variables only — on a test database, answering on a free port once it is ready.
 */
final class PackagedService implements AutoCloseable {

    static final String MASTER_KEY = "b3BlbmFwaS1jb250cmFjdC10ZXN0LW1hc3Rlci1rZXk=";

    private final Process process;
    private final Path log;
    final URI uri;

    private PackagedService(Process process, Path log, URI uri) {
        this.process = process;
        this.log = log;
        this.uri = uri;
    }

    /** The jar the build packaged (the surefire configuration of openapi/pom.xml names it). */
    static Path jar() {
        return Path.of(System.getProperty("tributary.jar", "../api/target/tributary.jar"));
    }

    static Path committedDocument() {
        return Path.of(System.getProperty("tributary.document", "tributary.yml"));
    }

    static PackagedService start(TestDatabase database, Map<String, String> settings) throws IOException {
        int port = freePort();
        Path log = Files.createTempFile("tributary-contract", ".log");
        var builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar().toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        var environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("DATASOURCES_") || k.startsWith("TRIBUTARY_")
                || k.startsWith("MICRONAUT_"));
        environment.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        environment.put("DATASOURCES_DEFAULT_URL", database.jdbcUrl());
        environment.put("DATASOURCES_DEFAULT_USERNAME", database.runtimeUsername());
        environment.put("DATASOURCES_DEFAULT_PASSWORD", database.runtimePassword());
        environment.put("TRIBUTARY_MIGRATION_USERNAME", database.username());
        environment.put("TRIBUTARY_MIGRATION_PASSWORD", database.password());
        environment.put("TRIBUTARY_MASTER_KEY", MASTER_KEY);
        environment.putAll(settings);
        var service = new PackagedService(builder.start(), log, URI.create("http://127.0.0.1:" + port));
        service.awaitReady();
        return service;
    }

    private void awaitReady() {
        var client = HttpClient.newHttpClient();
        var readiness = HttpRequest.newBuilder(uri.resolve("/health/readiness")).build();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .failFast("the service exited", () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(() -> client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("the service did not become ready: " + logText(), e);
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
