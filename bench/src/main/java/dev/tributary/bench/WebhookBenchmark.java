package dev.tributary.bench;

import dev.tributary.connector.testkit.FakeStripe;
import dev.tributary.db.EmbeddedPostgresServer;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Webhook ingestion (DESIGN.md §9: at least 1,000 verified events/s per node). One node — the
 * packaged service in its own JVM, API only — on one embedded PostgreSQL. {@code clients}
 * senders deliver Stripe {@code customer.updated} events as fast as answers come back (closed
 * loop), each one new (its own event id) and changing its customer (one of 10,000), signed
 * with {@code Stripe-Signature} at send time, so every delivery is verified, recorded and
 * written. The baseline, in the same run with the same senders, is
 * {@code GET /api/sync/status/{id}}: an authenticated indexed read.
 */
public final class WebhookBenchmark {

    private static final int CLIENTS = Integer.getInteger("clients", 16);
    private static final int SECONDS = Integer.getInteger("seconds", 20);
    private static final int CUSTOMERS = 10_000;
    private static final String SECRET = "whsec_benchmark";

    public static void main(String[] args) throws Exception {
        try (var data = TemporaryDirectory.create("tributary-bench-pg");
             var postgres = EmbeddedPostgresServer.start(data.path(), 0)) {
            postgres.createDatabaseIfMissing("bench");
            try (var node = BenchNode.start(postgres, Map.of())) {
                node.send("POST", "/api/apps", "{\"app_key\": \"billing\", \"connector\": \"stripe\", \"name\": \"Billing\","
                        + " \"config\": {}, \"credentials\": {\"api_key\": \"sk_test_benchmark\", \"webhook_secret\": \""
                        + SECRET + "\"}}", node.key, "bench");
                String queued = node.send("POST", "/api/sync", "{\"app_key\": \"billing\", \"collection\": \"stripe_customer\"}",
                        node.key, "bench").body();
                String status = "/api/sync/status/" + queued.replaceAll(".*\"sync_id\":\"([^\"]+)\".*", "$1");
                var client = HttpClient.newHttpClient();
                AtomicLong events = new AtomicLong();
                LongFunction<HttpRequest> webhook = n -> event(node, n == -1 ? events.incrementAndGet() : n);
                LongFunction<HttpRequest> read = n -> node.request("GET", status, null, node.key, "bench");

                closedLoop(client, webhook, 5); // warm-up: JIT, pools
                closedLoop(client, read, 5);
                Result reads = measured("GET status", node, data.path(), () -> closedLoop(client, read, SECONDS));
                Result deliveries = measured("webhooks", node, data.path(), () -> closedLoop(client, webhook, SECONDS));
                System.out.printf("| senders | GET status: req/s, p50 / p99 | webhooks: events/s, p50 / p99 | events/s ÷ reads/s | non-2xx (GET / webhook) |%n");
                System.out.printf("|---|---|---|---|---|%n");
                System.out.printf("| %d | %,.0f/s, %.1f / %.1f ms | %,.0f/s, %.1f / %.1f ms | %.2f | %d / %d |%n",
                        CLIENTS, reads.perSecond(), reads.ms(50), reads.ms(99), deliveries.perSecond(),
                        deliveries.ms(50), deliveries.ms(99), deliveries.perSecond() / reads.perSecond(),
                        reads.failures(), deliveries.failures());
            }
        }
    }

    private interface Phase {
        Result run() throws Exception;
    }

    /** Runs a phase and prints where its CPU went: the harness (senders), the node, PostgreSQL. */
    private static Result measured(String name, BenchNode node, Path postgresData, Phase phase) throws Exception {
        var harness = CpuTimes.now(postgresData);
        long service = node.cpuMillis();
        Result result = phase.run();
        System.err.printf("%s: %,d requests in %.1f s; harness %s, service JVM %,d ms%n", name,
                result.latencies().length, result.seconds(), CpuTimes.now(postgresData).minus(harness),
                node.cpuMillis() - service);
        return result;
    }

    /** A new customer.updated event, signed now. */
    private static HttpRequest event(BenchNode node, long n) {
        long now = Instant.now().getEpochSecond();
        long customer = n % CUSTOMERS;
        String body = "{\"id\":\"evt_bench" + n + "\",\"object\":\"event\",\"api_version\":\"2025-08-27.basil\","
                + "\"created\":" + now + ",\"type\":\"customer.updated\",\"livemode\":false,\"pending_webhooks\":1,"
                + "\"data\":{\"object\":{\"id\":\"cus_bench" + customer + "\",\"object\":\"customer\",\"created\":1700000000,"
                + "\"email\":\"customer" + customer + "+" + n + "@example.com\",\"name\":\"Customer " + customer + "\","
                + "\"currency\":\"usd\",\"balance\":0,\"delinquent\":false,\"metadata\":{\"seq\":\"" + n + "\"}}}}";
        return HttpRequest.newBuilder(node.base.resolve("/webhooks/bench/billing")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", FakeStripe.signature(body, now, SECRET))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** How many requests completed, their latencies (ns, sorted), and the answers other than 2xx. */
    private record Result(long[] latencies, double seconds, int failures) {
        double perSecond() {
            return latencies.length / seconds;
        }

        double ms(int percentile) {
            int index = Math.min(latencies.length - 1, (int) Math.ceil(percentile / 100.0 * latencies.length) - 1);
            return latencies[Math.max(0, index)] / 1e6;
        }
    }

    /** {@link #CLIENTS} senders, each sending its next request as soon as the previous one is answered. */
    private static Result closedLoop(HttpClient client, LongFunction<HttpRequest> requests, int seconds)
            throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<Long>>> results = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < CLIENTS; i++) {
            results.add(senders.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                while (System.nanoTime() < end) {
                    HttpRequest request = requests.apply(-1);
                    long sent = System.nanoTime();
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    latencies.add(System.nanoTime() - sent);
                    if (response.statusCode() >= 300) {
                        failures.incrementAndGet();
                    }
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            all.addAll(result.get());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        senders.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Result(sorted, elapsed, failures.get());
    }
}
