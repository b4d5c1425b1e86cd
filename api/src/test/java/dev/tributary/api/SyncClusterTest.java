package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three service instances on one database, each an API node and a Quartz worker. */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncClusterTest {

    static final String ADMIN_KEY = "admin-key-for-cluster-tests-0001";

    private final TestDatabase database = TestPostgres.freshDatabase();
    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 3).delay(Duration.ofMillis(60));
    /** Slow enough that runs of different targets, fired together, are bound to meet. */
    private final FakeSaasServer slow = FakeSaasServer.start().putMany("items", "item", 3).delay(Duration.ofMillis(700));
    private final List<EmbeddedServer> nodes = new ArrayList<>();
    private String writer;

    @BeforeAll
    void startThreeNodes() {
        for (String node : List.of("node-1", "node-2", "node-3")) {
            nodes.add(ApplicationContext.run(EmbeddedServer.class, ServiceSettings.of(database, ADMIN_KEY).localSources()
                    .with("tributary.rate-limit.sync-triggers-per-minute", "1000")
                    .with("tributary.rate-limit.requests-per-minute", "100000")
                    .with("tributary.scheduler.node-id", node)
                    .with("tributary.scheduler.idle-wait", "1s")
                    .with("tributary.scheduler.lock-retry-delay", "100ms")
                    .with("tributary.scheduler.checkin-interval", "2000")
                    .contextProperties()));
        }
        http(0).createTenant(ADMIN_KEY, "acme");
        String admin = http(0).createApiKey(ADMIN_KEY, "acme", "sync:admin");
        writer = http(0).createApiKey(ADMIN_KEY, "acme", "sync:write");
        for (String app : List.of("one", "idem", "par-a", "par-b", "par-c")) {
            URI source = app.startsWith("par-") ? slow.baseUri() : saas.baseUri();
            var created = http(0).send("POST", "/api/apps", "{\"app_key\": \"" + app + "\", \"connector\": \"http-json\","
                    + " \"name\": \"Items\", \"config\": {\"base_url\": \"" + source + "\","
                    + " \"auth\": {\"type\": \"bearer\"}, \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]},"
                    + " \"credentials\": {\"token\": \"t\"}}",
                    "Authorization", "Bearer " + admin, "X-Tenant-ID", "acme", "Content-Type", "application/json");
            assertEquals(201, created.statusCode(), created.body());
        }
    }

    @AfterAll
    void stopNodes() {
        nodes.forEach(node -> node.getApplicationContext().close());
        saas.close();
        slow.close();
    }

    private HttpProbe http(int node) {
        return new HttpProbe(nodes.get(node).getURI());
    }

    private HttpResponse<String> trigger(int node, String body, String... extraHeaders) {
        List<String> headers = new ArrayList<>(List.of("Authorization", "Bearer " + writer, "X-Tenant-ID", "acme",
                "Content-Type", "application/json"));
        headers.addAll(List.of(extraHeaders));
        return http(node).send("POST", "/api/sync", body, headers.toArray(String[]::new));
    }

    private record Span(String id, String node, Timestamp started, Timestamp completed, String status) {
    }

    private List<Span> runs(String app) throws SQLException {
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery("SELECT id, node_id, started_at, completed_at, status"
                    + " FROM tributary.sync_runs WHERE app_key = '" + app + "' ORDER BY started_at NULLS LAST");
            List<Span> spans = new ArrayList<>();
            while (rs.next()) {
                spans.add(new Span(rs.getString(1), rs.getString(2), rs.getTimestamp(3), rs.getTimestamp(4),
                        rs.getString(5)));
            }
            return spans;
        }
    }

    @Test
    void fiftyConcurrentIdenticalRequestsAcrossThreeNodesMakeExactlyOneRun() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 50).mapToObj(i ->
                    CompletableFuture.supplyAsync(() -> trigger(i % 3, "{\"app_key\": \"idem\", \"mode\": \"full\"}",
                            "Idempotency-Key", "same-request-50"), pool)).toList();
            List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();
            Set<Integer> statuses = answers.stream().map(HttpResponse::statusCode).collect(Collectors.toSet());
            assertTrue(Set.of(202, 409).containsAll(statuses), "accepted, replayed or in flight: " + statuses);
            Set<Object> ids = answers.stream().filter(a -> a.statusCode() == 202)
                    .map(a -> HttpProbe.json(a).get("sync_id")).collect(Collectors.toSet());
            assertEquals(1, ids.size(), "every accepted answer names the one run");
            answers.stream().filter(a -> a.statusCode() == 409).forEach(a ->
                    assertEquals("idempotency_key_in_use", HttpProbe.json(a).get("code")));
        } finally {
            pool.shutdown();
        }
        assertEquals(1, runs("idem").size());
    }

    @Test
    void thirtyRunsOfOneTargetFromAllNodesNeverOverlap() throws Exception {
        for (int i = 0; i < 30; i++) {
            assertEquals(202, trigger(i % 3, "{\"app_key\": \"one\", \"collection\": \"items\", \"mode\": \"full\"}")
                    .statusCode());
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                runs("one").stream().allMatch(span -> "completed".equals(span.status())));
        List<Span> spans = runs("one");
        assertEquals(30, spans.size());
        for (int i = 1; i < spans.size(); i++) {
            assertFalse(spans.get(i).started().before(spans.get(i - 1).completed()),
                    "run " + spans.get(i).id() + " started before " + spans.get(i - 1).id() + " ended");
        }
        assertTrue(spans.stream().map(Span::node).distinct().count() > 1, "more than one node worked: " + spans);
    }

    @Test
    void runsOfDifferentTargetsRunInParallel() throws Exception {
        for (String app : List.of("par-a", "par-b", "par-c")) {
            assertEquals(202, trigger(0, "{\"app_key\": \"" + app + "\", \"mode\": \"full\"}").statusCode());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                List.of("par-a", "par-b", "par-c").stream().allMatch(app -> {
                    try {
                        return runs(app).stream().allMatch(span -> "completed".equals(span.status()));
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        Span a = runs("par-a").get(0);
        Span b = runs("par-b").get(0);
        Span c = runs("par-c").get(0);
        boolean overlap = overlaps(a, b) || overlaps(b, c) || overlaps(a, c);
        assertTrue(overlap, "at least two targets ran at the same time: " + List.of(a, b, c));
    }

    private static boolean overlaps(Span x, Span y) {
        return x.started().before(y.completed()) && y.started().before(x.completed());
    }
}
