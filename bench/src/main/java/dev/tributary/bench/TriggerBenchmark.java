package dev.tributary.bench;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.EmbeddedPostgresServer;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    /** Answers other than 2xx in the measured phases (an overloaded node answers 500 once its pool times out). */
    private static final java.util.concurrent.atomic.AtomicInteger FAILED = new java.util.concurrent.atomic.AtomicInteger();
    private static final Pattern SYNC_ID = Pattern.compile("\"sync_id\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        try (var data = TemporaryDirectory.create("tributary-bench-pg");
             var postgres = EmbeddedPostgresServer.start(data.path(), 0);
             var saas = FakeSaasServer.start().putMany("items", "item", 3)) {
            postgres.createDatabaseIfMissing("bench");
            try (var node = BenchNode.start(postgres,
                    Map.of("TRIBUTARY_CONNECTORS_HTTP_JSON_ALLOW_PRIVATE_ADDRESSES", "true"))) {
                var client = HttpClient.newHttpClient();
                String key = node.key;
                node.send("POST", "/api/apps", "{\"app_key\": \"shop\", \"connector\": \"http-json\","
                        + " \"name\": \"Shop\", \"config\": {\"base_url\": \"" + saas.baseUri() + "\","
                        + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]}}", key, "bench");
                String trigger = "{\"app_key\": \"shop\", \"collection\": \"items\"}";
                Matcher id = SYNC_ID.matcher(node.send("POST", "/api/sync", trigger, key, "bench").body());
                String status = "/api/sync/status/" + (id.find() ? id.group(1) : "");

                IntFunction<HttpRequest> posts = i -> node.request("POST", "/api/sync", trigger, key, "bench");
                IntFunction<HttpRequest> reads = i -> node.request("GET", status, null, key, "bench");
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
            }
        }
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
}
