package dev.tributary.helm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the chart renders actually runs: the hook Job's command migrates an empty database, and two pods
 * of the rendered Deployment — command, environment, Secrets, downward-API node ids, ports and probes
 * all as rendered — answer their probes and form one Quartz cluster that runs a queued sync once.
 */
class RenderedPodTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String MASTER_KEY = "cmVuZGVyZWQtcG9kLXRlc3QtbWFzdGVyLWtleS0zMiE=";
    private static final String ADMIN_KEY = "admin-key-of-the-rendered-pod-test";
    private static final String APP_TOKEN = "orders-token-of-acme";

    private final TestDatabase database = TestPostgres.freshDatabase();
    private final FakeSaasServer saas = FakeSaasServer.start().putMany("orders", "order", 25).requireBearer(APP_TOKEN);
    private final List<RenderedContainer.Running> running = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (var process : running) {
            process.close();
        }
        saas.close();
    }

    @Test
    void theHookJobMigratesAndTwoRenderedPodsAnswerTheirProbesAndRunAQueuedSyncOnce(@TempDir Path work)
            throws Exception {
        Path values = work.resolve("values.yaml");
        Files.writeString(values, values());
        String deployment = Helm.RELEASE;
        String[] pods = {deployment + "-5d8f7c9b6-x2k4p", deployment + "-5d8f7c9b6-q7m9t"};
        // Each pod has a network namespace of its own; here they share one, so each gets its own port.
        List<Manifests> renderings = List.of(
                Helm.render(List.of(values), "--set", "containerPort=" + freePort()),
                Helm.render(List.of(values), "--set", "containerPort=" + freePort()));

        var job = RenderedContainer.of(renderings.get(0), renderings.get(0).get("Job", deployment + "-migrate"),
                deployment + "-migrate-h5x9q");
        try (var migrate = job.start()) {
            assertEquals(0, migrate.awaitExit(Duration.ofMinutes(2)), migrate.logs());
        }
        assertTrue(database.queryLong("SELECT count(*) FROM tributary.flyway_schema_history WHERE success") > 0);
        assertEquals("t", database.queryText("SELECT pg_has_role('" + database.runtimeUsername()
                + "', 'tributary_app', 'MEMBER')"));

        List<RenderedContainer> containers = new ArrayList<>();
        for (int i = 0; i < pods.length; i++) {
            Manifests rendering = renderings.get(i);
            var container = RenderedContainer.of(rendering, rendering.get("Deployment", deployment), pods[i]);
            assertEquals("false", container.environment().get("TRIBUTARY_MIGRATE_ON_START"),
                    "the hook migrated; the pods must not");
            containers.add(container);
            running.add(container.start());
        }
        for (var pod : running) {
            var container = pod.container();
            assertEquals(Set.of("startupProbe", "livenessProbe", "readinessProbe"), container.probes().keySet());
            for (var probe : container.probes().values()) {
                try {
                    await(container.podName() + " " + probe.path()).atMost(Duration.ofMinutes(2)).ignoreExceptions()
                            .failFast(() -> !pod.process().isAlive())
                            .until(() -> get(probe.port(), probe.path(), Map.of()).statusCode() == 200);
                } catch (RuntimeException e) {
                    throw new AssertionError(container.podName() + " did not answer " + probe.path() + "\n" + pod.logs(), e);
                }
            }
        }
        await("both pods in the Quartz cluster").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(String.join(",", new TreeSet<>(List.of(pods))), database.queryText(
                        "SELECT string_agg(instance_name, ',' ORDER BY instance_name) FROM tributary.qrtz_scheduler_state")));

        // The declared app and its tenant came from the chart's values; the admin key from its Secret.
        int first = containers.get(0).ports().get("http");
        int second = containers.get(1).ports().get("http");
        String key = (String) post(first, "/admin/tenants/acme/api-keys", "{\"name\": \"chart\", \"roles\": [\"sync:admin\"]}",
                Map.of("Authorization", "Bearer " + ADMIN_KEY)).get("key");
        Map<String, String> tenant = Map.of("Authorization", "Bearer " + key, "X-Tenant-ID", "acme");
        String syncId = (String) post(first, "/api/sync", "{\"app_key\": \"orders\", \"mode\": \"full\"}", tenant).get("sync_id");

        Map<String, Object> run = await("the queued run").atMost(Duration.ofMinutes(1)).until(
                () -> json(get(second, "/api/sync/status/" + syncId, tenant)),
                r -> List.of("completed", "failed", "dead_lettered", "cancelled").contains(r.get("status")));
        assertEquals("completed", run.get("status"), run.toString());
        assertEquals(1, ((List<?>) run.get("attempts")).size(), "one attempt: " + run);
        assertTrue(Set.of(pods).contains(run.get("node_id")), run.toString());
        assertEquals(25, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'orders'"));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.sync_runs WHERE app_key = 'orders'"));
        List<String> served = saas.servedIds();
        assertEquals(25, served.size(), "each record fetched once: " + served);
        assertEquals(25, new HashSet<>(served).size());
    }

    /** Values as an operator writes them for this database, plus the app the cluster syncs. */
    private String values() {
        return """
                secrets:
                  databaseUrl: %s
                  databaseUsername: %s
                  databasePassword: %s
                  migrationUsername: %s
                  migrationPassword: "%s"
                  masterKey: %s
                  adminApiKey: %s
                replicas: 2
                env:
                  # The fake source listens on loopback, which http-json apps may not call by default.
                  TRIBUTARY_CONNECTORS_HTTP_JSON_ALLOW_PRIVATE_ADDRESSES: "true"
                declaredApps:
                  acme:
                    orders:
                      connector: http-json
                      name: Orders
                      config:
                        base-url: %s
                        auth: {type: bearer}
                        collections: [{collection-key: orders, path: orders}]
                      credentials-env: {token: ACME_ORDERS_TOKEN}
                declaredAppCredentials:
                  values:
                    ACME_ORDERS_TOKEN: %s
                """.formatted(database.jdbcUrl(), database.runtimeUsername(), database.runtimePassword(),
                database.username(), database.password(), MASTER_KEY, ADMIN_KEY, saas.baseUri(), APP_TOKEN);
    }

    private static HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> post(int port, String path, String body, Map<String, String> headers)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        var response = HTTP.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, path + " answered " + response.statusCode() + ": " + response.body());
        return json(response);
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
