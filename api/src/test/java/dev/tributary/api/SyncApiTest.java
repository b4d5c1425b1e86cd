package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.lock.SyncLocks;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/sync over a real socket: queued at once, run by this node's worker, refused whole when bad. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-sync-tests-0000001";

    @Inject
    EmbeddedServer server;

    @Inject
    SyncLocks locks;

    private TestDatabase database;
    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 3).putMany("users", "user", 2);
    /** Sixty records in pages of ten, slowly: a run that is still running when a test cancels it. */
    private final FakeSaasServer slow = FakeSaasServer.start().putMany("items", "item", 60).delay(Duration.ofMillis(300));
    /** A source whose next answers a test can make fail. */
    private final FakeSaasServer flaky = FakeSaasServer.start().putMany("items", "item", 4).putMany("users", "user", 1);
    /** Two good items and one whose updated_at is not a time: a per-record failure with an id. */
    private final FakeSaasServer broken = FakeSaasServer.start().putMany("items", "item", 2).putMany("users", "user", 1)
            .put("items", "bad-1", Map.of("updated_at", "not a time"));
    /** The source of the app whose failures are alerted. */
    private final FakeSaasServer alerting = FakeSaasServer.start().putMany("items", "item", 2).putMany("users", "user", 1);
    private com.icegreen.greenmail.util.GreenMail smtp;
    private final java.util.concurrent.CopyOnWriteArrayList<String[]> alertPosts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private com.sun.net.httpserver.HttpServer alertReceiver;
    private String acmeAdmin;
    private String acmeWrite;
    private String acmeRead;
    private String globexRead;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        Map<String, String> properties = ServiceSettings.of(database, ADMIN_KEY).localSources()
                .with("tributary.rate-limit.sync-triggers-per-minute", "1000")
                .with("tributary.scheduler.idle-wait", "1s")
                .with("tributary.scheduler.lock-retry-delay", "200ms")
                .with("tributary.scheduler.retry-base-delay", "1s")
                .properties();
        try {
            int smtpPort = ServiceProcess.freePort();
            smtp = new com.icegreen.greenmail.util.GreenMail(
                    new com.icegreen.greenmail.util.ServerSetup(smtpPort, "127.0.0.1", "smtp"));
            smtp.start();
            properties.put("tributary.alerts.smtp-host", "127.0.0.1");
            properties.put("tributary.alerts.smtp-port", Integer.toString(smtpPort));
            alertReceiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            alertReceiver.createContext("/alerts", exchange -> {
                alertPosts.add(new String[]{exchange.getRequestHeaders().getFirst("Tributary-Signature"),
                        new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)});
                exchange.sendResponseHeaders(alertPosts.size() == 1 ? 500 : 204, -1); // the first delivery fails
                exchange.close();
            });
            alertReceiver.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        properties.put("tributary.alerts.retry-delay", "100ms");
        properties.put("tributary.alerts.allow-private-addresses", "true");
        return properties;
    }

    @BeforeAll
    void tenantsKeysAndApps() {
        for (String tenant : List.of("acme", "globex")) {
            http().createTenant(ADMIN_KEY, tenant);
        }
        acmeAdmin = key("acme", "sync:admin");
        acmeWrite = key("acme", "sync:write");
        acmeRead = key("acme", "sync:read");
        globexRead = key("globex", "sync:read");
        for (String appKey : List.of("shop", "everything", "guarded", "checked", "waiting")) {
            assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app(appKey, "")).statusCode());
        }
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("slow", slow, ", \"pagination\": {\"style\": \"offset\", \"page_size\": 10}", ""))
                .statusCode());
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("fails", broken, ", \"updated_at_field\": \"updated_at\"", "")).statusCode());
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("flaky", flaky, "",
                ", \"retry_policy\": {\"max_attempts\": 2}")).statusCode());
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("paused",
                ", \"schedule\": {\"cron\": \"0 6 * * *\", \"enabled\": false}")).statusCode());
    }

    @AfterAll
    void stopSaas() {
        saas.close();
        slow.close();
        flaky.close();
        broken.close();
        alerting.close();
        smtp.stop();
        alertReceiver.stop(0);
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private String key(String tenant, String role) {
        return http().createApiKey(ADMIN_KEY, tenant, role);
    }

    private HttpResponse<String> call(String key, String tenant, String method, String path, String body) {
        return http().send(method, path, body, "Authorization", "Bearer " + key, "X-Tenant-ID", tenant,
                "Content-Type", "application/json");
    }

    private String app(String appKey, String extra) {
        return app(appKey, saas, "", extra);
    }

    private String app(String appKey, FakeSaasServer source, String extraConfig, String extra) {
        return "{\"app_key\": \"" + appKey + "\", \"connector\": \"http-json\", \"name\": \"Shop\","
                + " \"config\": {\"base_url\": \"" + source.baseUri() + "\", \"auth\": {\"type\": \"bearer\"}" + extraConfig + ","
                + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"},"
                + " {\"collection_key\": \"users\", \"path\": \"users\"}]},"
                + " \"credentials\": {\"token\": \"tok\"}" + extra + "}";
    }

    private HttpResponse<String> trigger(String body) {
        return call(acmeWrite, "acme", "POST", "/api/sync", body);
    }

    private Map<String, Object> awaitStatus(String location, String status) {
        Map<String, Object>[] run = new Map[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = HttpProbe.json(call(acmeRead, "acme", "GET", location, null));
            return status.equals(run[0].get("status"));
        });
        return run[0];
    }

    @Test
    void aTriggerIsQueuedAtOnceAndAWorkerRunsItToCompletion() throws Exception {
        var response = trigger("{\"app_key\": \"shop\", \"collection\": \"items\", \"mode\": \"full\"}");
        assertEquals(202, response.statusCode(), response.body());
        var queued = HttpProbe.json(response);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertEquals("/api/sync/status/" + queued.get("sync_id"), location);
        assertEquals("queued", queued.get("status"));
        assertEquals("full", queued.get("mode"));
        assertEquals("shop", queued.get("app_key"));
        assertEquals("items", queued.get("collection"));
        assertEquals(false, queued.get("dry_run"));
        assertTrue(queued.containsKey("queued_at"));

        var done = awaitStatus(location, "completed");
        assertEquals(3, ((Number) ((Map<?, ?>) done.get("records")).get("new")).intValue());
        assertEquals(3, database.queryLong("SELECT count(*) FROM tributary.entities WHERE tenant_id = 'acme' AND app_key = 'shop'"
                + " AND collection_key = 'items'"));
        assertEquals(404, call(globexRead, "globex", "GET", location, null).statusCode(), "another tenant's run");

        String metrics = http().get("/prometheus").body();
        for (String meter : List.of("tributary_sync_runs_total{status=\"completed\"", "tributary_sync_records_total{outcome=\"new\"",
                "tributary_sync_run_duration_seconds_count{status=\"completed\"", "tributary_sync_queue_lag_seconds_count")) {
            assertTrue(metrics.contains(meter), meter + " in " + metrics.lines().filter(l -> l.contains("tributary_sync")).toList());
        }
    }

    @Test
    void aRunWithoutACollectionSyncsAllOfTheAppsCollectionsAndModeDefaultsToIncremental() throws Exception {
        var response = trigger("{\"app_key\": \"everything\"}");
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("incremental", HttpProbe.json(response).get("mode"));
        var done = awaitStatus(response.headers().firstValue("Location").orElseThrow(), "completed");
        assertEquals(5, ((Number) ((Map<?, ?>) done.get("records")).get("total")).intValue());

        var usersOnly = trigger("{\"app_key\": \"everything\", \"collection\": \"users\", \"mode\": \"full\"}");
        var again = awaitStatus(usersOnly.headers().firstValue("Location").orElseThrow(), "completed");
        assertEquals(2, ((Number) ((Map<?, ?>) again.get("records")).get("unchanged")).intValue());
        assertEquals(3, database.queryLong("SELECT count(*) FROM tributary.entities WHERE tenant_id = 'acme'"
                + " AND app_key = 'everything' AND collection_key = 'items'"), "a run of users leaves items alone");
    }

    @Test
    void aDisabledScheduleDoesNotBlockManualRuns() {
        var response = trigger("{\"app_key\": \"paused\", \"collection\": \"users\"}");
        assertEquals(202, response.statusCode(), response.body());
        awaitStatus(response.headers().firstValue("Location").orElseThrow(), "completed");
    }

    @Test
    void aRunWhoseTargetIsLockedWaitsQueuedAndRunsOnceTheLockIsGone() throws Exception {
        var held = locks.tryLock("acme", "guarded", List.of("users")).orElseThrow();
        String location;
        try (held) {
            var response = trigger("{\"app_key\": \"guarded\", \"collection\": \"users\", \"mode\": \"full\"}");
            assertEquals(202, response.statusCode(), response.body());
            location = response.headers().firstValue("Location").orElseThrow();
            String id = location.substring(location.lastIndexOf('/') + 1);
            // The worker fires it every 200 ms and finds the target busy: it stays queued, it does not fail.
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() ->
                    "queued".equals(HttpProbe.json(call(acmeRead, "acme", "GET", location, null)).get("status")));
            assertTrue(database.queryLong("SELECT count(*) FROM tributary.qrtz_triggers WHERE job_name = '" + id + "'") <= 2,
                    "triggers do not pile up: the one firing and the next, at most");
        }
        awaitStatus(location, "completed");
        assertTrue(http().get("/prometheus").body().contains("tributary_sync_lock_waits_total"));
    }

    @Test
    void badTriggersAreRefusedWholeNamingTheField() throws Exception {
        long before = database.queryLong("SELECT count(*) FROM tributary.sync_runs");
        assertProblem(trigger("{\"app_key\": \"nope\"}"), 404, null);
        assertProblem(trigger("{}"), 400, "app_key");
        assertProblem(trigger("{\"app_key\": \"Bad Key\"}"), 400, "app_key");
        assertProblem(trigger("{\"app_key\": \"checked\", \"collection\": \"orders\"}"), 400, "collection");
        assertProblem(trigger("{\"app_key\": \"checked\", \"mode\": \"sometimes\"}"), 400, "mode");
        assertProblem(trigger("{\"app_key\": \"checked\", \"filters\": {\"status\": [\"\"]}}"), 400, "filters.status");
        assertProblem(trigger("{\"app_key\": \"checked\", \"filters\": {\"date_range\": {\"start\": \"yesterday\"}}}"),
                400, "filters.date_range.start");
        assertProblem(trigger("{\"app_key\": \"checked\", \"filters\": {\"date_range\": {\"start\": \"2026-02-01T00:00:00Z\","
                + " \"end\": \"2026-01-01T00:00:00Z\"}}}"), 400, "filters.date_range");
        assertProblem(trigger("{\"app_key\": \"checked\", \"ids\": [\"item-1\"]}"), 400, "collection");
        assertProblem(trigger("{\"app_key\": \"checked\", \"collection\": \"items\", \"ids\": [\" \"]}"), 400, "ids");
        assertProblem(trigger("{\"app_key\": \"checked\", \"collection\": \"items\", \"ids\": [\"item-1\"],"
                + " \"filters\": {\"status\": [\"active\"]}}"), 400, "filters");
        assertProblem(trigger("{\"app_key\": \"checked\", \"dry_run\": \"yes\"}"), 400, "dry_run");
        assertProblem(trigger("{\"app_key\": \"checked\", \"force_deletions\": 1}"), 400, "force_deletions");
        assertProblem(trigger("{\"app_key\": \"checked\", \"surprise\": 1}"), 400, "surprise");
        assertProblem(trigger("not json"), 400, null);
        assertProblem(call(acmeRead, "acme", "POST", "/api/sync", "{\"app_key\": \"checked\"}"), 403, null);
        assertEquals(before, database.queryLong("SELECT count(*) FROM tributary.sync_runs"), "nothing was queued");
    }

    private HttpResponse<String> triggerWithKey(String key, String body) {
        return http().send("POST", "/api/sync", body, "Authorization", "Bearer " + acmeWrite, "X-Tenant-ID", "acme",
                "Content-Type", "application/json", "Idempotency-Key", key);
    }

    @Test
    void theSameKeyAndBodyReplayTheFirstAnswerWhetherTheKeyCameInTheHeaderOrTheBody() {
        var first = triggerWithKey("key-replay-1", "{\"app_key\": \"checked\", \"collection\": \"items\"}");
        assertEquals(202, first.statusCode(), first.body());
        assertTrue(first.headers().firstValue("Idempotent-Replayed").isEmpty());
        var again = triggerWithKey("key-replay-1", "{\"collection\": \"items\",  \"app_key\": \"checked\"}");
        assertEquals(202, again.statusCode(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(first.body(), again.body());
        assertEquals(first.headers().firstValue("Location"), again.headers().firstValue("Location"));
        var inBody = trigger("{\"app_key\": \"checked\", \"collection\": \"items\", \"idempotency_key\": \"key-replay-1\"}");
        assertEquals(HttpProbe.json(first).get("sync_id"), HttpProbe.json(inBody).get("sync_id"));
        assertEquals("true", inBody.headers().firstValue("Idempotent-Replayed").orElse(""));
    }

    @Test
    void aKeyIsNotForAnotherRequestNorTwoKeysForOne() throws Exception {
        assertEquals(202, triggerWithKey("key-reuse-1", "{\"app_key\": \"checked\"}").statusCode());
        long runs = database.queryLong("SELECT count(*) FROM tributary.sync_runs");
        var reused = triggerWithKey("key-reuse-1", "{\"app_key\": \"checked\", \"mode\": \"full\"}");
        assertProblem(reused, 422, null);
        assertEquals("idempotency_key_reused", HttpProbe.json(reused).get("code"));
        assertProblem(triggerWithKey("key-a", "{\"app_key\": \"checked\", \"idempotency_key\": \"key-b\"}"), 400,
                "idempotency_key");
        assertProblem(triggerWithKey("bad key", "{\"app_key\": \"checked\"}"), 400, "idempotency_key");
        assertProblem(triggerWithKey("k".repeat(256), "{\"app_key\": \"checked\"}"), 400, "idempotency_key");
        assertProblem(trigger("{\"app_key\": \"checked\", \"idempotency_key\": \"" + "k".repeat(256) + "\"}"), 400,
                "idempotency_key");
        assertEquals(202, triggerWithKey("k".repeat(255), "{\"app_key\": \"checked\"}").statusCode(), "255 is allowed");
        runs++;
        assertEquals(runs, database.queryLong("SELECT count(*) FROM tributary.sync_runs"));
    }

    @Test
    void aRequestWhileTheFirstIsInFlightIsRefusedUntilTheClaimIsAbandoned() throws Exception {
        String body = "{\"app_key\": \"checked\", \"collection\": \"users\"}";
        // A claim another node holds right now (its answer not kept yet), for this very body.
        var probe = triggerWithKey("key-probe", body);
        database.execute("INSERT INTO tributary.idempotency_keys (tenant_id, key, request_hash, expires_at)"
                + " SELECT 'acme', 'key-flight', request_hash, now() + interval '1 day' FROM tributary.idempotency_keys"
                + " WHERE key = 'key-probe'");
        var busy = triggerWithKey("key-flight", body);
        assertProblem(busy, 409, null);
        assertEquals("idempotency_key_in_use", HttpProbe.json(busy).get("code"));
        database.execute("UPDATE tributary.idempotency_keys SET created_at = now() - interval '2 minutes' WHERE key = 'key-flight'");
        var taken = triggerWithKey("key-flight", body);
        assertEquals(202, taken.statusCode(), taken.body());
        assertTrue(taken.headers().firstValue("Idempotent-Replayed").isEmpty(), "the abandoned claim did nothing");
        assertTrue(!HttpProbe.json(taken).get("sync_id").equals(HttpProbe.json(probe).get("sync_id")));
    }

    @Test
    void aRefusedRequestKeepsNothingAndAnExpiredKeyStartsAfresh() throws Exception {
        assertProblem(triggerWithKey("key-refused", "{\"app_key\": \"missing\"}"), 404, null);
        var fixed = triggerWithKey("key-refused", "{\"app_key\": \"checked\"}");
        assertEquals(202, fixed.statusCode(), fixed.body());

        database.execute("UPDATE tributary.idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'key-refused'");
        var afresh = triggerWithKey("key-refused", "{\"app_key\": \"checked\"}");
        assertEquals(202, afresh.statusCode(), afresh.body());
        assertTrue(afresh.headers().firstValue("Idempotent-Replayed").isEmpty());
        assertTrue(!HttpProbe.json(afresh).get("sync_id").equals(HttpProbe.json(fixed).get("sync_id")));
    }

    @Inject
    dev.tributary.api.sync.IdempotencyPurgeProbe purge;

    @Test
    void expiredKeysOfEveryTenantArePurged() throws Exception {
        database.execute("INSERT INTO tributary.idempotency_keys (tenant_id, key, request_hash, expires_at) VALUES"
                + " ('acme', 'old-1', '\\x00', now() - interval '1 hour'),"
                + " ('globex', 'old-2', '\\x00', now() - interval '1 minute'),"
                + " ('globex', 'fresh', '\\x00', now() + interval '1 hour')");
        assertTrue(purge.purge() >= 2);
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.idempotency_keys WHERE expires_at < now()"));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.idempotency_keys WHERE key = 'fresh'"));
    }

    private Map<String, Object> post(String path) {
        var response = call(acmeAdmin, "acme", "POST", path, null);
        var body = HttpProbe.json(response);
        body.put("http_status", response.statusCode());
        return body;
    }

    @Test
    void aWaitingRunIsCancelledAtOnceAndNeverRuns() throws Exception {
        String location;
        try (var held = locks.tryLock("acme", "waiting", List.of("items")).orElseThrow()) {
            var response = trigger("{\"app_key\": \"waiting\", \"collection\": \"items\"}");
            location = response.headers().firstValue("Location").orElseThrow();
            var cancelled = post(location + "/cancel");
            assertEquals(200, cancelled.get("http_status"));
            assertEquals("cancelled", cancelled.get("status"));
            String id = location.substring(location.lastIndexOf('/') + 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> database.queryLong("SELECT count(*) FROM tributary.qrtz_job_details"
                    + " WHERE job_name = '" + id + "'") == 0); // its job and triggers are gone
        }
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                "cancelled".equals(HttpProbe.json(call(acmeRead, "acme", "GET", location, null)).get("status")));
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'waiting'"));
        var again = post(location + "/cancel");
        assertEquals(409, again.get("http_status"));
        assertEquals("run_finished", again.get("code"));
    }

    @Test
    void aRunningRunStopsAtTheNextBatchBoundaryAndCanBeRunAgain() throws Exception {
        var response = trigger("{\"app_key\": \"slow\", \"collection\": \"items\", \"mode\": \"full\"}");
        String location = response.headers().firstValue("Location").orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> database.queryLong("SELECT count(*) FROM tributary.entities"
                + " WHERE app_key = 'slow'") > 0);
        var stopping = post(location + "/cancel");
        assertEquals(202, stopping.get("http_status"), stopping.toString());
        assertEquals(true, stopping.get("cancel_requested"));
        var cancelled = awaitStatus(location, "cancelled");
        long written = ((Number) ((Map<?, ?>) cancelled.get("records")).get("total")).longValue();
        assertTrue(written > 0 && written < 60, "stopped part-way, at a page boundary: " + written);
        assertEquals(written, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'slow'"));

        var completed = post(location + "/rerun");
        assertEquals(202, completed.get("http_status"), completed.toString());
        String rerun = "/api/sync/status/" + completed.get("sync_id");
        awaitStatus(rerun, "completed");
        assertEquals(60, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'slow'"));
        var notAgain = post(rerun + "/rerun");
        assertEquals(409, notAgain.get("http_status"));
        assertEquals("run_not_rerunnable", notAgain.get("code"));
        assertEquals(404, post("/api/sync/status/00000000-0000-0000-0000-000000000000/cancel").get("http_status"));
        assertEquals(403, call(acmeWrite, "acme", "POST", location + "/rerun", null).statusCode(), "sync:admin only");
    }

    @Test
    void retriableFailuresAreRetriedWithBackoffThenDeadLettered() throws Exception {
        flaky.failNext(1, 503);
        var recovered = trigger("{\"app_key\": \"flaky\", \"mode\": \"full\"}");
        String first = recovered.headers().firstValue("Location").orElseThrow();
        var done = awaitStatus(first, "completed");
        assertEquals(2, ((Number) done.get("attempt")).intValue());
        List<?> attempts = (List<?>) done.get("attempts");
        assertEquals(2, attempts.size(), done.toString());
        assertEquals("failed", ((Map<?, ?>) attempts.get(0)).get("status"));
        assertEquals("completed", ((Map<?, ?>) attempts.get(1)).get("status"));

        flaky.failNext(100, 503);
        var doomed = trigger("{\"app_key\": \"flaky\", \"mode\": \"full\"}");
        var dead = awaitStatus(doomed.headers().firstValue("Location").orElseThrow(), "dead_lettered");
        assertEquals(2, ((List<?>) dead.get("attempts")).size(), "max_attempts 2: " + dead);
        assertTrue(((String) dead.get("error")).contains("503"), dead.toString());
        flaky.failNext(0, 503);
    }

    @Test
    void aProviderRefusalFailsAtOnceWithoutRetry() {
        flaky.failNext(1, 401);
        var refused = trigger("{\"app_key\": \"flaky\", \"collection\": \"items\"}");
        var failed = awaitStatus(refused.headers().firstValue("Location").orElseThrow(), "failed");
        assertEquals(1, ((List<?>) failed.get("attempts")).size());
        assertEquals(null, failed.get("next_attempt_at"));
    }

    @Test
    void failedRecordsAreListedAndRetriedByIdUntilTheySucceed() throws Exception {
        var run = trigger("{\"app_key\": \"fails\", \"collection\": \"items\", \"mode\": \"full\"}");
        var done = awaitStatus(run.headers().firstValue("Location").orElseThrow(), "completed_with_errors");
        var summary = (Map<?, ?>) done.get("failures");
        assertEquals(1, ((Number) summary.get("total")).intValue(), done.toString());
        assertEquals("bad-1", ((Map<?, ?>) ((List<?>) summary.get("first")).get(0)).get("external_id"));

        var list = HttpProbe.json(call(acmeRead, "acme", "GET", "/api/sync/failures?app_key=fails", null));
        assertEquals(1, ((Number) list.get("total")).intValue(), list.toString());
        var failure = (Map<?, ?>) ((List<?>) list.get("items")).get(0);
        long id = ((Number) failure.get("id")).longValue();
        assertEquals(0, ((Number) failure.get("retry_count")).intValue());

        var again = post("/api/sync/failures/" + id + "/retry");
        assertEquals(202, again.get("http_status"), again.toString());
        assertEquals(1, ((Number) again.get("queued")).intValue());
        awaitStatus("/api/sync/status/" + again.get("sync_id"), "completed_with_errors");
        assertEquals("failed 1", database.queryText("SELECT status || ' ' || retry_count FROM tributary.sync_records WHERE id = " + id));
        assertEquals(1, ((Number) HttpProbe.json(call(acmeRead, "acme", "GET", "/api/sync/failures?app_key=fails", null))
                .get("total")).intValue(), "the retry's failure is folded into the record, not listed twice");

        broken.put("items", "bad-1", Map.of("name", "fixed at the source"));
        var bulk = call(acmeAdmin, "acme", "POST", "/api/sync/retry", "{\"app_key\": \"fails\"}");
        assertEquals(202, bulk.statusCode(), bulk.body());
        awaitStatus("/api/sync/status/" + HttpProbe.json(bulk).get("sync_id"), "completed");
        assertEquals("succeeded 2", database.queryText("SELECT status || ' ' || retry_count FROM tributary.sync_records WHERE id = " + id));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'fails' AND external_id = 'bad-1'"));
        assertEquals(0, ((Number) HttpProbe.json(call(acmeRead, "acme", "GET", "/api/sync/failures?app_key=fails", null))
                .get("total")).intValue());

        var notFailed = post("/api/sync/failures/" + id + "/retry");
        assertEquals(400, notFailed.get("http_status"));
        assertEquals("record_not_failed", notFailed.get("code"));
        assertEquals(404, post("/api/sync/failures/99999999/retry").get("http_status"));
        assertProblem(call(acmeAdmin, "acme", "POST", "/api/sync/retry", "{\"record_ids\": [0]}"), 400, "record_ids");
        assertProblem(call(acmeAdmin, "acme", "POST", "/api/sync/retry", "{\"record_ids\": []}"), 400, "record_ids");
        assertProblem(call(acmeRead, "acme", "POST", "/api/sync/retry", "{}"), 403, null);
    }

    @Test
    void aFailedRunIsAlertedByASignedPostRetriedUntilDeliveredAndByEmail() throws Exception {
        String secret = "alert-signing-secret-0001";
        String webhook = "http://127.0.0.1:" + alertReceiver.getAddress().getPort() + "/alerts";
        assertProblem(call(acmeAdmin, "acme", "POST", "/api/apps", app("unsigned", ", \"alerts\": {\"webhook_url\": \""
                + webhook + "\"}")), 400, "alerts.webhook_secret");
        var created = call(acmeAdmin, "acme", "POST", "/api/apps", app("alerted", alerting, "",
                ", \"retry_policy\": {\"max_attempts\": 1}, \"alerts\": {\"webhook_url\": \"" + webhook
                        + "\", \"webhook_secret\": \"" + secret + "\", \"emails\": [\"ops@acme.test\"]}"));
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(!created.body().contains(secret), "the secret is write-only");

        alerting.failNext(1, 401);
        var run = trigger("{\"app_key\": \"alerted\", \"collection\": \"items\"}");
        String syncId = (String) HttpProbe.json(run).get("sync_id");
        awaitStatus(run.headers().firstValue("Location").orElseThrow(), "failed");

        await().atMost(Duration.ofSeconds(20)).until(() -> alertPosts.size() >= 2);
        String[] delivered = alertPosts.get(1);
        assertEquals(alertPosts.get(0)[1], delivered[1], "the retry sends the same alert");
        var alert = HttpProbe.json(delivered[1]);
        assertEquals("run_failed", alert.get("event"));
        assertEquals(syncId, alert.get("sync_id"));
        assertEquals("acme", alert.get("tenant_id"));
        assertEquals("alerted", alert.get("app_key"));
        assertTrue(((String) alert.get("error")).contains("401"), alert.toString());
        String[] signature = delivered[0].split(",");
        long t = Long.parseLong(signature[0].substring(2));
        assertEquals("v1=" + dev.tributary.scheduler.alert.Alerts.sign(secret, t, delivered[1]), signature[1]);

        await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= 1);
        var mail = smtp.getReceivedMessages()[0];
        assertEquals("ops@acme.test", mail.getAllRecipients()[0].toString());
        assertTrue(mail.getSubject().contains("run failed") && mail.getSubject().contains("acme/alerted"), mail.getSubject());

        var full = trigger("{\"app_key\": \"alerted\", \"collection\": \"items\", \"mode\": \"full\"}");
        awaitStatus(full.headers().firstValue("Location").orElseThrow(), "completed");
        alerting.remove("items", "item-1").remove("items", "item-2");
        var guarded = trigger("{\"app_key\": \"alerted\", \"collection\": \"items\", \"mode\": \"full\"}");
        awaitStatus(guarded.headers().firstValue("Location").orElseThrow(), "completed_with_errors");
        await().atMost(Duration.ofSeconds(20)).until(() -> alertPosts.stream()
                .anyMatch(post -> "deletion_guard_stopped".equals(HttpProbe.json(post[1]).get("event"))));
    }

    @Inject
    org.quartz.Scheduler scheduler;

    @Inject
    io.micronaut.transaction.TransactionOperations<java.sql.Connection> transactions;

    @Test
    void anAppsScheduleIsACronTriggerThatFollowsTheAppAndQueuesScheduledRuns() throws Exception {
        String cronOf = "SELECT cron_expression || ' ' || time_zone_id FROM tributary.qrtz_cron_triggers"
                + " WHERE trigger_name = 'acme/timed'";
        assertEquals(201, call(acmeAdmin, "acme", "POST", "/api/apps", app("timed", ", \"schedule\": {\"cron\":"
                + " \"0 6 * * 1-5\", \"timezone\": \"America/Toronto\", \"mode\": \"full\"}")).statusCode());
        String weekdays = database.queryText(cronOf);
        assertTrue(weekdays != null && weekdays.endsWith(" America/Toronto"), weekdays);

        assertEquals(200, call(acmeAdmin, "acme", "PATCH", "/api/apps/timed",
                "{\"schedule\": {\"cron\": \"30 7 * * *\"}}").statusCode());
        String daily = database.queryText(cronOf);
        assertTrue(daily != null && !daily.equals(weekdays), daily);

        assertEquals(200, call(acmeAdmin, "acme", "PATCH", "/api/apps/timed",
                "{\"schedule\": {\"enabled\": false}}").statusCode());
        assertEquals(null, database.queryText(cronOf), "a disabled schedule has no trigger");
        assertEquals(200, call(acmeAdmin, "acme", "PATCH", "/api/apps/timed",
                "{\"schedule\": {\"enabled\": true}}").statusCode());
        assertEquals(daily, database.queryText(cronOf));

        transactions.executeWrite(status -> { // JobStoreCMT: scheduler calls join a transaction
            try {
                scheduler.triggerJob(dev.tributary.scheduler.schedule.AppSchedules.jobKey(
                        new dev.tributary.tenancy.TenantId("acme"), "timed"));
            } catch (org.quartz.SchedulerException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> database.queryLong("SELECT count(*) FROM tributary.sync_runs"
                + " WHERE app_key = 'timed' AND trigger = 'schedule' AND mode = 'full' AND status = 'completed'") == 1);

        assertEquals(204, call(acmeAdmin, "acme", "DELETE", "/api/apps/timed", null).statusCode());
        assertEquals(null, database.queryText(cronOf), "a deleted app has no schedule");
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.qrtz_job_details WHERE job_name = 'acme/timed'"));
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        if (field != null) {
            var errors = (List<?>) HttpProbe.json(response).get("errors");
            assertEquals(field, ((Map<?, ?>) errors.get(0)).get("field"), response.body());
        }
    }
}
