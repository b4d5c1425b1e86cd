package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests that change one app (or tenant) at the same moment, over real sockets on one node: each
 * ends in an answer below 500, and what is stored afterwards is what one order of them would have left
 * — one app per key, no PATCH lost, no schedule of a deleted app, no webhook event of one. Deleting an
 * app while its sync runs is refused at once rather than waiting for a run that waits for it.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppConcurrencyTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-concurrency-tests-1";
    static final String STRIPE_SECRET = "whsec_concurrency";
    static final int THREADS = 16;

    @Inject
    EmbeddedServer server;

    private TestDatabase database;
    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 30);
    private final HeldUpstream upstream = HeldUpstream.inFrontOf(saas.baseUri());
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private String[] auth;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        // Ten rounds of sixteen webhooks for one app within a second or two: above the default per-app limit.
        return ServiceSettings.of(database, ADMIN_KEY).localSources().unlimitedRates()
                .with("tributary.scheduler.idle-wait", "1s").properties();
    }

    @BeforeAll
    void tenantAndKey() {
        http().createTenant(ADMIN_KEY, "acme");
        auth = new String[]{"Authorization", "Bearer " + http().createApiKey(ADMIN_KEY, "acme", "sync:admin"),
                "X-Tenant-ID", "acme", "Content-Type", "application/json"};
    }

    @AfterAll
    void stop() {
        threads.shutdownNow();
        upstream.close();
        saas.close();
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private static String app(String appKey, URI base) {
        return "{\"app_key\": \"" + appKey + "\", \"connector\": \"http-json\", \"name\": \"Shop\", \"config\":"
                + " {\"base_url\": \"" + base + "\", \"read_timeout_ms\": 600000, \"pagination\": {\"style\": \"offset\","
                + " \"page_size\": 10}, \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]},"
                + " \"schedule\": {\"cron\": \"0 6 * * *\", \"timezone\": \"UTC\"}}";
    }

    private void create(String body) {
        var created = http().send("POST", "/api/apps", body, auth);
        assertEquals(201, created.statusCode(), created.body());
    }

    /** Sends {@code count} requests at once; their answers, in order. */
    private List<HttpResponse<String>> atOnce(int count, IntFunction<HttpResponse<String>> request) throws Exception {
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            calls.add(() -> request.apply(n));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : threads.invokeAll(calls)) {
            answers.add(answer.get());
        }
        for (var answer : answers) {
            assertTrue(answer.statusCode() < 500, answer.statusCode() + " " + answer.body());
        }
        return answers;
    }

    private static long count(List<HttpResponse<String>> answers, int status) {
        return answers.stream().filter(a -> a.statusCode() == status).count();
    }

    private long rows(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
             var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void deletingAnAppWhileItsSyncRunsIsRefusedAtOnceAndHoldsNothingElseUp() throws Exception {
        create(app("held", upstream.baseUri()));
        create(app("other", saas.baseUri()));
        upstream.hold(2);
        var queued = http().send("POST", "/api/sync", "{\"app_key\": \"held\", \"mode\": \"full\"}", auth);
        assertEquals(202, queued.statusCode(), queued.body());
        String runId = (String) HttpProbe.json(queued).get("sync_id");
        upstream.awaitHeld(Duration.ofSeconds(60));

        // The run holds its target's lock while it waits for page 2; a delete that waited for it would wait
        // forever (the run's next write waits for the delete) and hold the scheduler's lock meanwhile.
        var refused = http().send("DELETE", "/api/apps/held", null, auth);
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("app_sync_running", HttpProbe.json(refused).get("code"));
        assertEquals(202, http().send("POST", "/api/sync", "{\"app_key\": \"other\", \"dry_run\": true}", auth).statusCode());
        assertEquals(200, http().send("PATCH", "/api/apps/other", "{\"name\": \"Other\"}", auth).statusCode());
        assertEquals(200, http().send("PATCH", "/api/apps/held", "{\"name\": \"Held\"}", auth).statusCode(),
                "a PATCH does not wait for the run either");

        upstream.release();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                "completed".equals(HttpProbe.json(http().get("/api/sync/status/" + runId, auth)).get("status")));
        assertEquals(30, rows("SELECT count(*) FROM tributary.entities WHERE app_key = 'held'"));
        assertEquals(204, http().send("DELETE", "/api/apps/held", null, auth).statusCode());
        assertEquals(0, rows("SELECT count(*) FROM tributary.entities WHERE app_key = 'held'"));
        assertEquals(0, rows("SELECT count(*) FROM tributary.qrtz_job_details WHERE job_name = 'acme/held'"));
    }

    @Test
    void concurrentCreatesOfOneKeyMakeOneAppOrTenantAndTellTheRestItExists() throws Exception {
        var apps = atOnce(THREADS, i -> http().send("POST", "/api/apps", app("twin", saas.baseUri()), auth));
        assertEquals(1, count(apps, 201));
        assertEquals(THREADS - 1, count(apps, 409));
        apps.stream().filter(a -> a.statusCode() == 409)
                .forEach(a -> assertEquals("app_exists", HttpProbe.json(a).get("code")));
        assertEquals(1, rows("SELECT count(*) FROM tributary.qrtz_triggers WHERE job_name = 'acme/twin'"));

        var tenants = atOnce(THREADS, i -> http().send("POST", "/admin/tenants", "{\"id\": \"twins\", \"name\": \"Twins\"}",
                "Authorization", "Bearer " + ADMIN_KEY, "Content-Type", "application/json"));
        assertEquals(1, count(tenants, 201));
        assertEquals(THREADS - 1, count(tenants, 409));
        tenants.stream().filter(a -> a.statusCode() == 409)
                .forEach(a -> assertEquals("tenant_exists", HttpProbe.json(a).get("code")));
    }

    @Test
    void concurrentPatchesOfDifferentMembersAllTakeEffect() throws Exception {
        for (int round = 0; round < 5; round++) {
            create(app("patched", saas.baseUri()));
            String syncFrom = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(round).toString();
            var answers = atOnce(4, i -> http().send("PATCH", "/api/apps/patched", switch (i) {
                case 0 -> "{\"name\": \"Renamed\"}";
                case 1 -> "{\"retry_policy\": {\"max_attempts\": 7}}";
                case 2 -> "{\"sync_from\": \"" + syncFrom + "\"}";
                default -> "{\"schedule\": {\"cron\": \"30 7 * * *\"}}";
            }, auth));
            assertEquals(4, count(answers, 200));
            var app = HttpProbe.json(http().get("/api/apps/patched", auth));
            assertEquals("Renamed", app.get("name"), "round " + round + ": " + app);
            assertEquals(7, ((Map<?, ?>) app.get("retry_policy")).get("max_attempts"), "round " + round + ": " + app);
            assertEquals(syncFrom, app.get("sync_from"), "round " + round + ": " + app);
            assertEquals("30 7 * * *", ((Map<?, ?>) app.get("schedule")).get("cron"), "round " + round + ": " + app);
            assertEquals(204, http().send("DELETE", "/api/apps/patched", null, auth).statusCode());
        }
    }

    @Test
    void patchesDeletesAndTriggersAtOnceNeverFailNorLeaveADeletedAppScheduled() throws Exception {
        create(app("bystander", saas.baseUri()));
        for (int round = 0; round < 8; round++) {
            create(app("contested", saas.baseUri()));
            var answers = atOnce(THREADS, i -> switch (i % 4) {
                case 0 -> http().send("DELETE", "/api/apps/contested", null, auth);
                case 1 -> http().send("PATCH", "/api/apps/contested", "{\"schedule\": {\"cron\": \"" + i
                        + " 1 * * *\", \"enabled\": true}}", auth);
                case 2 -> http().send("PATCH", "/api/apps/contested", "{\"name\": \"n" + i + "\"}", auth);
                // Another app's run: it takes the scheduler's lock too (a run of this one could refuse the DELETE).
                default -> http().send("POST", "/api/sync", "{\"app_key\": \"bystander\", \"dry_run\": true}", auth);
            });
            assertEquals(1, count(answers, 204), "exactly one DELETE found the app");
            assertEquals(0, rows("SELECT count(*) FROM tributary.apps WHERE app_key = 'contested'"));
            assertEquals(0, rows("SELECT count(*) FROM tributary.qrtz_job_details WHERE job_name = 'acme/contested'"),
                    "round " + round + ": a PATCH that lost the race to the DELETE scheduled the deleted app");
        }
    }

    @Test
    void aWebhookForAnAppBeingDeletedIsAnsweredAsForAnUnknownApp() throws Exception {
        for (int round = 0; round < 10; round++) {
            create("{\"app_key\": \"billing\", \"connector\": \"stripe\", \"name\": \"Billing\", \"config\": {},"
                    + " \"credentials\": {\"api_key\": \"sk_test_x\", \"webhook_secret\": \"" + STRIPE_SECRET + "\"}}");
            var answers = atOnce(THREADS, i -> i == THREADS / 2
                    ? http().send("DELETE", "/api/apps/billing", null, auth)
                    : stripeEvent("{\"id\": \"evt_" + UUID.randomUUID() + "\", \"type\": \"customer.created\","
                            + " \"data\": {\"object\": {\"id\": \"cus_" + i + "\", \"object\": \"customer\"}}}"));
            for (var answer : answers) {
                assertTrue(answer.statusCode() == 200 || answer.statusCode() == 204 || answer.statusCode() == 404,
                        answer.statusCode() + " " + answer.body());
            }
            assertEquals(0, rows("SELECT count(*) FROM tributary.entities WHERE app_key = 'billing'"));
        }
    }

    private HttpResponse<String> stripeEvent(String body) {
        try {
            long now = Instant.now().getEpochSecond();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = HexFormat.of().formatHex(mac.doFinal((now + "." + body).getBytes(StandardCharsets.UTF_8)));
            return http().send("POST", "/webhooks/acme/billing", body, "Content-Type", "application/json",
                    "Stripe-Signature", "t=" + now + ",v1=" + signature);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
