package dev.tributary.bench;

import dev.tributary.db.EmbeddedPostgresServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * One node of the service for a benchmark: the packaged jar ({@code service.jar}) in its own
 * JVM, on the benchmark's embedded PostgreSQL, API only (its worker off), with a tenant
 * {@code bench} and an admin API key of that tenant ready. With {@code -Dprofile.jfr=<file>} the
 * node records a Java Flight Recording there (written when it stops).
 */
final class BenchNode implements AutoCloseable {

    static final String ADMIN_KEY = "benchmark-admin-key-000000000001";

    private final Process process;
    private final HttpClient client = HttpClient.newHttpClient();
    final URI base;
    final String key;

    private BenchNode(Process process, URI base) throws Exception {
        this.process = process;
        this.base = base;
        awaitHealthy();
        send("POST", "/admin/tenants", "{\"id\": \"bench\", \"name\": \"Bench\"}", ADMIN_KEY, null);
        String keyBody = send("POST", "/admin/tenants/bench/api-keys",
                "{\"name\": \"k\", \"roles\": [\"sync:admin\"]}", ADMIN_KEY, null).body();
        this.key = keyBody.replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
    }

    /** Starts the node; {@code environment} adds to (or overrides) the benchmark settings. */
    static BenchNode start(EmbeddedPostgresServer postgres, Map<String, String> environment) throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("service.jar")).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("tributary-bench-service", ".log").toFile());
        Map<String, String> settings = new HashMap<>(Map.of(
                "DATASOURCES_DEFAULT_URL", postgres.jdbcUrl("bench"),
                "DATASOURCES_DEFAULT_USERNAME", EmbeddedPostgresServer.SUPERUSER,
                "MICRONAUT_SERVER_PORT", Integer.toString(port),
                "TRIBUTARY_MASTER_KEY", "YmVuY2htYXJrLW1hc3Rlci1rZXktMzItYnl0ZXMhIT8=",
                "TRIBUTARY_ADMIN_API_KEY", ADMIN_KEY,
                "TRIBUTARY_SCHEDULER_WORKER", "false",
                "TRIBUTARY_RATE_LIMIT_SYNC_TRIGGERS_PER_MINUTE", "100000",
                "TRIBUTARY_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000",
                "TRIBUTARY_RATE_LIMIT_WEBHOOKS_PER_SECOND", "1000000")); // the webhook benchmark sends far more than 100/s to one app
        settings.putAll(environment);
        String profile = System.getProperty("profile.jfr");
        if (profile != null && !profile.isBlank()) {
            settings.merge("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + profile + ",settings=profile",
                    (options, recording) -> options + " " + recording);
        }
        command.environment().putAll(settings);
        Process process = command.start();
        try {
            return new BenchNode(process, URI.create("http://localhost:" + port));
        } catch (Exception | Error e) {
            process.destroy();
            throw e;
        }
    }

    HttpRequest request(String method, String path, String body, String key, String tenant) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            builder.header("X-Tenant-ID", tenant);
        }
        return builder.build();
    }

    /** Sends as the tenant's admin key (or {@code key}); anything but 2xx is an error. */
    HttpResponse<String> send(String method, String path, String body, String key, String tenant) throws Exception {
        HttpResponse<String> response = client.send(request(method, path, body, key, tenant),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response;
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        throw new IllegalStateException("the service did not become healthy within 2 minutes");
    }

    /** CPU time the node's JVM has spent so far. */
    long cpuMillis() {
        return CpuTimes.processMillis(process.pid());
    }

    /** The node's peak resident memory so far (VmHWM), in MB; -1 when it cannot be read. */
    long peakResidentMb() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024).findFirst().orElse(-1);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
