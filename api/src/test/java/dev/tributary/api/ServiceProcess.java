package dev.tributary.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service started as operators start it: its own JVM, configured only by
 * environment variables, with stdout and stderr captured to files.
 */
final class ServiceProcess implements AutoCloseable {

    static final String TEST_MASTER_KEY = "c2VydmljZS1wcm9jZXNzLXRlc3QtbWFzdGVyLWtleSE=";

    final int port;
    final Path stdout;
    final Path stderr;
    private final Process process;

    private ServiceProcess(int port, Path stdout, Path stderr, Process process) {
        this.port = port;
        this.stdout = stdout;
        this.stderr = stderr;
        this.process = process;
    }

    static ServiceProcess start(Map<String, String> environment, String... args) {
        try {
            int port = freePort();
            Path stdout = Files.createTempFile("tributary-stdout", ".log");
            Path stderr = Files.createTempFile("tributary-stderr", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // The shipped JSON logging, not the tests' plain one.
                    "-Dlogback.configurationFile=logback.xml",
                    "-cp", System.getProperty("java.class.path"),
                    Application.class.getName()));
            command.addAll(List.of(args));
            var builder = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("DATASOURCES_") || k.startsWith("TRIBUTARY_")
                    || k.startsWith("MICRONAUT_"));
            builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(port));
            builder.environment().put("TRIBUTARY_MASTER_KEY", TEST_MASTER_KEY);
            builder.environment().putAll(environment);
            return new ServiceProcess(port, stdout, stderr, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("http://localhost:" + port);
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("service still running after " + timeout);
        }
        return process.exitValue();
    }

    /** Asks the process to stop (SIGTERM), as an orchestrator does; returns at once. */
    void terminate() {
        process.destroy();
    }

    /** Kills the process at once (SIGKILL): no shutdown hooks, no goodbye to the cluster or the database. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdoutText() {
        return read(stdout);
    }

    String stderrText() {
        return read(stderr);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
