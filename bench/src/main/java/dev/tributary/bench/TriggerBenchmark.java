package dev.tributary.bench;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.EmbeddedPostgresServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trigger latency (DESIGN.md §9: {@code POST /api/sync} p99 under 25 ms at 200 requests/s on
 * one node). One node — the packaged service ({@code api/target/tributary.jar}) in its own JVM,
 * API only: its worker is off, so the runs it queues wait — on one embedded PostgreSQL. Requests go out on a fixed schedule (open loop: a slow answer does not delay the
 * next request), and each latency counts from the request's scheduled time. The baseline, in
 * the same run and at the same rate, is {@code GET /api/sync/status/{id}}: one indexed read.
 */
public final class TriggerBenchmark {

    private static final int RATE = Integer.getInteger("rate", 200);
    private static final int SECONDS = Integer.getInteger("seconds", 20);
    private static final String ADMIN_KEY = "benchmark-admin-key-000000000001";
    /** Answers other than 2xx in the measured phases (an overloaded node answers 500 once its pool times out). */
    private static final java.util.concurrent.atomic.AtomicInteger FAILED = new java.util.concurrent.atomic.AtomicInteger();
    private static final Pattern SYNC_ID = Pattern.compile("\"sync_id\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        var dataDirectory = Files.createTempDirectory("tributary-bench-pg");
        try (var postgres = EmbeddedPostgresServer.start(dataDirectory, 0);
             var saas = FakeSaasServer.start().putMany("items", "item", 3)) {
            postgres.createDatabaseIfMissing("bench");
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            var command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", System.getProperty("service.jar")).redirectErrorStream(true)
                    .redirectOutput(Files.createTempFile("tributary-bench-service", ".log").toFile());
            command.environment().putAll(Map.of(
                    "DATASOURCES_DEFAULT_URL", postgres.jdbcUrl("bench"),
                    "DATASOURCES_DEFAULT_USERNAME", EmbeddedPostgresServer.SUPERUSER,
                    "MICRONAUT_SERVER_PORT", Integer.toString(port),
                    "TRIBUTARY_MASTER_KEY", "YmVuY2htYXJrLW1hc3Rlci1rZXktMzItYnl0ZXMhIT8=",
                    "TRIBUTARY_ADMIN_API_KEY", ADMIN_KEY,
                    "TRIBUTARY_SCHEDULER_WORKER", "false",
                    "TRIBUTARY_RATE_LIMIT_SYNC_TRIGGERS_PER_MINUTE", "100000",
                    "TRIBUTARY_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000",
                    "TRIBUTARY_CONNECTORS_HTTP_JSON_ALLOW_PRIVATE_ADDRESSES", "true"));
            Process service = command.start();
            try {
                var client = HttpClient.newHttpClient();
                URI base = URI.create("http://localhost:" + port);
                awaitHealthy(client, base);
                send(client, base, "POST", "/admin/tenants", "{\"id\": \"bench\", \"name\": \"Bench\"}", ADMIN_KEY, null);
                String keyBody = send(client, base, "POST", "/admin/tenants/bench/api-keys",
                        "{\"name\": \"k\", \"roles\": [\"sync:admin\"]}", ADMIN_KEY, null).body();
                String key = keyBody.replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
                send(client, base, "POST", "/api/apps", "{\"app_key\": \"shop\", \"connector\": \"http-json\","
                        + " \"name\": \"Shop\", \"config\": {\"base_url\": \"" + saas.baseUri() + "\","
                        + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]}}", key, "bench");
                String trigger = "{\"app_key\": \"shop\", \"collection\": \"items\"}";
                Matcher id = SYNC_ID.matcher(send(client, base, "POST", "/api/sync", trigger, key, "bench").body());
                String status = "/api/sync/status/" + (id.find() ? id.group(1) : "");

                IntFunction<HttpRequest> posts = i -> request(base, "POST", "/api/sync", trigger, key, "bench");
                IntFunction<HttpRequest> reads = i -> request(base, "GET", status, null, key, "bench");
                paced(client, posts, RATE, 5); // warm-up: JIT, pools
                paced(client, reads, RATE, 5);
                FAILED.set(0);
                long[] read = paced(client, reads, RATE, SECONDS);
                int readFailures = FAILED.getAndSet(0);
                long[] post = paced(client, posts, RATE, SECONDS);
                int postFailures = FAILED.get();
                System.out.printf("| rate | requests | GET status p50 / p99 / max | POST /api/sync p50 / p99 / max | p99 ratio | non-2xx (GET / POST) |%n");
                System.out.printf("|---|---|---|---|---|---|%n");
                System.out.printf("| %d/s | %,d each | %.1f / %.1f / %.1f ms | %.1f / %.1f / %.1f ms | %.2f | %d / %d |%n",
                        RATE, post.length, ms(read, 50), ms(read, 99), ms(read, 100), ms(post, 50), ms(post, 99),
                        ms(post, 100), ms(post, 99) / ms(read, 99), readFailures, postFailures);
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
    }

    private static void awaitHealthy(HttpClient client, URI base) throws InterruptedException {
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

    /** Sends {@code rate × seconds} requests on a fixed schedule; returns each one's latency (ns) from its slot. */
    private static long[] paced(HttpClient client, IntFunction<HttpRequest> requests, int rate, int seconds) {
        int count = rate * seconds;
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 10_000_000L;
        List<CompletableFuture<Long>> latencies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long slot = start + i * interval;
            LockSupport.parkNanos(slot - System.nanoTime());
            latencies.add(client.sendAsync(requests.apply(i), HttpResponse.BodyHandlers.discarding())
                    .thenApply(response -> {
                        if (response.statusCode() >= 300) {
                            FAILED.incrementAndGet();
                        }
                        return System.nanoTime() - slot;
                    }));
        }
        long[] sorted = latencies.stream().mapToLong(CompletableFuture::join).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static double ms(long[] sorted, int percentile) {
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static HttpRequest request(URI base, String method, String path, String body, String key, String tenant) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            builder.header("X-Tenant-ID", tenant);
        }
        return builder.build();
    }

    private static HttpResponse<String> send(HttpClient client, URI base, String method, String path, String body,
                                             String key, String tenant) throws Exception {
        HttpResponse<String> response = client.send(request(base, method, path, body, key, tenant),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response;
    }
}
