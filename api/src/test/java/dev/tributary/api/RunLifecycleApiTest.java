package dev.tributary.api;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.scheduler.alert.Alerts;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a run does after it is queued, through the API and the real queue: retries backing
 * off 3× per attempt with jitter and dead-lettering after the default three attempts; the
 * alerts (run_failed, run_dead_lettered, deletion_guard_stopped) and every member of their
 * body; reruns of failed and dead-lettered runs; and a dry run's preview read back from the
 * run. Sources are the testkit's fake server: documents served as written make a feed whose
 * first page is fine and whose second is not, on every attempt.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunLifecycleApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-lifecycle-tests-01";
    static final String ALERT_SECRET = "lifecycle-alert-secret-0001";
    static final Duration RETRY_BASE_DELAY = Duration.ofSeconds(1);

    @Inject
    EmbeddedServer server;

    private TestDatabase database;
    /** Feeds in pages (http-json's next_url style), each page a document. */
    private final FakeSaasServer feeds = FakeSaasServer.start();
    private final FakeSaasServer shrinking = FakeSaasServer.start().putMany("items", "s", 4);
    private final FakeSaasServer previewed = FakeSaasServer.start().putMany("items", "item", 5);
    private final CopyOnWriteArrayList<String[]> alerts = new CopyOnWriteArrayList<>();
    private HttpServer alertReceiver;
    private String acmeAdmin;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        Map<String, String> properties = ServiceSettings.of(database, ADMIN_KEY).localSources()
                .with("tributary.rate-limit.sync-triggers-per-minute", "1000")
                .with("tributary.scheduler.idle-wait", "1s")
                .with("tributary.scheduler.retry-base-delay", RETRY_BASE_DELAY.toMillis() + "ms")
                .with("tributary.alerts.allow-private-addresses", "true")
                .properties();
        try {
            alertReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            alertReceiver.createContext("/alerts", exchange -> {
                alerts.add(new String[]{exchange.getRequestHeaders().getFirst(Alerts.SIGNATURE_HEADER),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            alertReceiver.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    @BeforeAll
    void tenantKeyAppsAndAuditTrail() throws Exception {
        // Every move of a run to retry_scheduled, with the attempt it ends and when the next is due.
        database.execute("""
                CREATE TABLE tributary.test_retry_log (sync_id uuid, attempt int, attempt_completed_at timestamptz,
                                                       next_attempt_at timestamptz);
                GRANT INSERT, SELECT ON tributary.test_retry_log TO tributary_app;
                CREATE FUNCTION tributary.test_log_retry() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO tributary.test_retry_log
                    VALUES (NEW.id, NEW.attempt, (NEW.attempts -> -1 ->> 'completed_at')::timestamptz, NEW.next_attempt_at);
                    RETURN NEW;
                END $$;
                CREATE TRIGGER test_log_retry AFTER UPDATE ON tributary.sync_runs
                    FOR EACH ROW WHEN (NEW.status = 'retry_scheduled') EXECUTE FUNCTION tributary.test_log_retry();""");

        // Ten records, then a page that is not readable JSON (retriable), or one that is not there (404: not).
        for (String feed : List.of("doomed", "relapsing", "counted", "refused-late", "refused-counted")) {
            page("/" + feed, feed, 1, 10, "/" + feed + "-2");
            if (!feed.startsWith("refused")) {
                feeds.document("/" + feed + "-2", "{\"data\": [".getBytes(StandardCharsets.UTF_8));
            }
        }

        http().createTenant(ADMIN_KEY, "acme");
        acmeAdmin = http().createApiKey(ADMIN_KEY, "acme", "sync:admin");
        String alerting = ", \"alerts\": {\"webhook_url\": \"http://127.0.0.1:" + alertReceiver.getAddress().getPort()
                + "/alerts\", \"webhook_secret\": \"" + ALERT_SECRET + "\"}";
        for (String feed : List.of("doomed", "relapsing", "counted")) { // the default retry policy: three attempts
            createApp(feedApp(feed, feed, alerting));
        }
        createApp(feedApp("refused", "refused-gone", alerting));
        createApp(feedApp("refused-late", "refused-late", alerting));
        createApp(feedApp("refused-counted", "refused-counted", alerting));
        createApp(app("shrinking", shrinking, alerting));
        createApp(app("previewed", previewed, ""));
    }

    @AfterAll
    void stopServers() {
        feeds.close();
        shrinking.close();
        previewed.close();
        alertReceiver.stop(0);
    }

    // --- retries -------------------------------------------------------------------------

    /**
     * attempt n waits retry-base-delay × 3^(n−1), ±20%: the second wait lies in [2.4 s, 3.6 s]
     * and the first in [0.8 s, 1.2 s], so a constant delay fails; both exactly 1 s and 3 s is
     * what no jitter gives (with jitter a chance of about one in 160,000).
     */
    @Test
    void aRetriableFailureIsRetriedTwiceWithBackoffTimesThreeAndJitterThenDeadLettered() throws Exception {
        var run = trigger("{\"app_key\": \"doomed\", \"collection\": \"items\", \"mode\": \"full\"}");
        var dead = awaitStatus(run, "dead_lettered");
        assertEquals(3, ((Number) dead.get("attempt")).intValue(), dead.toString());
        assertEquals(3, ((Number) dead.get("max_attempts")).intValue(), "three attempts unless the app says otherwise");
        List<?> attempts = (List<?>) dead.get("attempts");
        assertEquals(3, attempts.size(), dead.toString());
        assertNull(dead.get("next_attempt_at"));

        String id = id(run);
        List<Long> waits = List.of(wait(id, 1), wait(id, 2));
        long base = RETRY_BASE_DELAY.toMillis();
        assertTrue(waits.get(0) >= base * 0.8 && waits.get(0) <= base * 1.2, "attempt 1 waits 1 s ±20%: " + waits);
        assertTrue(waits.get(1) >= base * 3 * 0.8 && waits.get(1) <= base * 3 * 1.2, "attempt 2 waits 3 s ±20%: " + waits);
        assertFalse(waits.get(0) == base && waits.get(1) == base * 3, "the waits are jittered: " + waits);
        for (int attempt = 1; attempt <= 2; attempt++) { // and no attempt started before it was due
            Instant due = instant("SELECT next_attempt_at FROM tributary.test_retry_log WHERE sync_id = '" + id
                    + "' AND attempt = " + attempt);
            Instant started = Instant.parse((String) ((Map<?, ?>) attempts.get(attempt)).get("started_at"));
            assertFalse(started.isBefore(due.truncatedTo(ChronoUnit.MILLIS)), started + " before " + due);
        }

        var alert = awaitAlert(id, "run_dead_lettered");
        assertAlert(alert, "run_dead_lettered", id, "doomed", "items", "not readable JSON");
    }

    // --- alerts --------------------------------------------------------------------------

    @Test
    void aFailedRunIsAlertedWithEveryMember() throws Exception {
        var run = trigger("{\"app_key\": \"refused\", \"mode\": \"full\"}");
        var failed = awaitStatus(run, "failed");
        assertEquals(1, ((List<?>) failed.get("attempts")).size(), "a 404 is not retried");
        var alert = awaitAlert(id(run), "run_failed");
        assertAlert(alert, "run_failed", id(run), "refused", null, "404");
        assertEquals(0L, ((Number) alert.get("records_processed")).longValue(), "it failed on its first page");
    }

    @Test
    void aRunWhoseDeletionsTheGuardStoppedIsAlertedWithTheRecordsItProcessed() throws Exception {
        awaitStatus(trigger("{\"app_key\": \"shrinking\", \"collection\": \"items\", \"mode\": \"full\"}"), "completed");
        shrinking.remove("items", "s-2").remove("items", "s-3").remove("items", "s-4");
        var run = trigger("{\"app_key\": \"shrinking\", \"collection\": \"items\", \"mode\": \"full\"}");
        awaitStatus(run, "completed_with_errors");
        var alert = awaitAlert(id(run), "deletion_guard_stopped");
        assertAlert(alert, "deletion_guard_stopped", id(run), "shrinking", "items", "deletion guard stopped 3 of 4");
        assertEquals(1L, ((Number) alert.get("records_processed")).longValue(), alert.toString());
    }

    @Test
    void alertsCountTheRecordsTheRunProcessedBeforeItFailed() throws Exception {
        var failedRun = trigger("{\"app_key\": \"refused-counted\", \"mode\": \"full\"}");
        awaitStatus(failedRun, "failed");
        assertEquals(10L, ((Number) awaitAlert(id(failedRun), "run_failed").get("records_processed")).longValue());

        var deadRun = trigger("{\"app_key\": \"counted\", \"mode\": \"full\"}");
        var dead = awaitStatus(deadRun, "dead_lettered");
        assertEquals(10L, ((Number) ((Map<?, ?>) dead.get("records")).get("total")).longValue(), dead.toString());
        assertEquals(10L, ((Number) awaitAlert(id(deadRun), "run_dead_lettered").get("records_processed"))
                .longValue());
    }

    // --- reruns ----------------------------------------------------------------------------

    @Test
    void aFailedAndADeadLetteredRunAreRunAgainAsNewRunsOfTheSameRequest() throws Exception {
        var failed = trigger("{\"app_key\": \"refused-late\", \"collection\": \"items\", \"mode\": \"full\"}");
        awaitStatus(failed, "failed");
        page("/refused-late-2", "refused-late", 11, 11, null); // the source is fixed
        var again = rerun(failed);
        assertEquals(11, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'refused-late'"),
                "the rerun fetched what the failed run could not");
        assertEquals("completed", again.get("status"));

        var deadLettered = trigger("{\"app_key\": \"relapsing\", \"collection\": \"items\", \"mode\": \"full\","
                + " \"force_deletions\": true}");
        awaitStatus(deadLettered, "dead_lettered");
        page("/relapsing-2", "relapsing", 11, 12, null);
        var revived = rerun(deadLettered);
        assertEquals(1, ((Number) revived.get("attempt")).intValue(), "a new run starts from its first attempt");
        assertEquals(12, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'relapsing'"));

        var completed = HttpProbe.json(call("POST", "/api/sync/status/" + revived.get("sync_id") + "/rerun", null));
        assertEquals("run_not_rerunnable", completed.get("code"), "a completed run is not run again");
    }

    /** Reruns a finished run: 202 with the new run's Location; the new run has the old one's request. */
    private Map<String, Object> rerun(HttpResponse<String> original) throws Exception {
        String id = id(original);
        var response = call("POST", "/api/sync/status/" + id + "/rerun", null);
        assertEquals(202, response.statusCode(), response.body());
        var queued = HttpProbe.json(response);
        String newId = (String) queued.get("sync_id");
        assertNotEquals(id, newId, "a new run, not the old one again");
        assertEquals("/api/sync/status/" + newId, response.headers().firstValue("Location").orElseThrow());
        assertEquals("queued", queued.get("status"));
        String sameRequest = "SELECT count(*) FROM tributary.sync_runs a, tributary.sync_runs b WHERE a.id = '" + id
                + "' AND b.id = '" + newId + "' AND a.request = b.request AND a.mode = b.mode"
                + " AND a.collection_key IS NOT DISTINCT FROM b.collection_key AND a.dry_run = b.dry_run"
                + " AND b.trigger = 'manual' AND b.attempt = 1";
        assertEquals(1, database.queryLong(sameRequest), "the new run has the old one's request");
        return awaitStatus(response, "completed");
    }

    // --- dry run ---------------------------------------------------------------------------

    @Test
    void aDryRunsPreviewIsReadBackFromTheRunAndNothingIsWritten() throws Exception {
        awaitStatus(trigger("{\"app_key\": \"previewed\", \"collection\": \"items\", \"mode\": \"full\"}"), "completed");
        String entities = "SELECT string_agg(external_id || '=' || raw_payload::text || '@' || updated_at, ',' ORDER BY"
                + " external_id) FROM tributary.entities WHERE app_key = 'previewed'";
        String state = "SELECT last_synced_at || ' ' || last_full_sync_at FROM tributary.sync_state"
                + " WHERE app_key = 'previewed'";
        String entitiesBefore = database.queryText(entities);
        String stateBefore = database.queryText(state);
        previewed.put("items", "item-1", Map.of("name", "renamed", "status", "active"));
        previewed.put("items", "item-6", Map.of("name", "item 6", "status", "active"));
        previewed.remove("items", "item-2");

        var run = trigger("{\"app_key\": \"previewed\", \"collection\": \"items\", \"mode\": \"full\", \"dry_run\": true}");
        assertEquals(true, HttpProbe.json(run).get("dry_run"));
        var done = awaitStatus(run, "completed");
        assertEquals(true, done.get("dry_run"));
        var preview = (Map<?, ?>) done.get("preview");
        var counts = (Map<?, ?>) preview.get("counts");
        assertEquals(Map.of("total", 5, "created", 1, "updated", 1, "unchanged", 3, "deleted", 1, "archived", 0,
                "errors", 0), counts, preview.toString());
        var samples = (Map<?, ?>) ((Map<?, ?>) preview.get("samples")).get("items");
        assertEquals(List.of("item-6"), samples.get("new"), preview.toString());
        assertEquals(List.of("item-1"), samples.get("updated"), preview.toString());
        assertEquals(List.of("item-2"), samples.get("deleted"), preview.toString());
        var records = (Map<?, ?>) done.get("records");
        assertEquals(1, ((Number) records.get("new")).intValue(), "the run's counts are the would-be counts");

        assertEquals(entitiesBefore, database.queryText(entities), "no entity written, changed or deleted");
        assertEquals(stateBefore, database.queryText(state), "sync state untouched");
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.sync_records WHERE sync_id = '" + id(run) + "'"));
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.data_quality_snapshots WHERE sync_id = '"
                + id(run) + "'"));
    }

    // --- helpers ---------------------------------------------------------------------------

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private HttpResponse<String> call(String method, String path, String body) {
        return http().send(method, path, body, "Authorization", "Bearer " + acmeAdmin, "X-Tenant-ID", "acme",
                "Content-Type", "application/json");
    }

    private void createApp(String body) {
        var response = call("POST", "/api/apps", body);
        assertEquals(201, response.statusCode(), response.body());
    }

    /** An http-json app reading one collection, items, as a feed of pages starting at {@code path}. */
    private String feedApp(String appKey, String path, String extra) {
        return "{\"app_key\": \"" + appKey + "\", \"connector\": \"http-json\", \"name\": \"" + appKey + "\","
                + " \"config\": {\"base_url\": \"" + feeds.baseUri() + "\", \"auth\": {\"type\": \"none\"},"
                + " \"pagination\": {\"style\": \"next_url\", \"next_path\": \"/next\"}, \"updated_at_field\": \"updated_at\","
                + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"" + path + "\"}]}" + extra + "}";
    }

    private static String app(String appKey, FakeSaasServer source, String extra) {
        return "{\"app_key\": \"" + appKey + "\", \"connector\": \"http-json\", \"name\": \"" + appKey + "\","
                + " \"config\": {\"base_url\": \"" + source.baseUri() + "\", \"auth\": {\"type\": \"none\"},"
                + " \"updated_at_field\": \"updated_at\","
                + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]}" + extra + "}";
    }

    /** Serves records {@code <prefix>-from … <prefix>-to} at {@code path}, linking to {@code next} (none: the last page). */
    private void page(String path, String prefix, int from, int to, String next) {
        String records = IntStream.rangeClosed(from, to).mapToObj(i -> "{\"id\": \"" + prefix + "-" + i
                + "\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"n\": " + i + "}").collect(Collectors.joining(", "));
        feeds.document(path, ("{\"data\": [" + records + "], \"next\": " + (next == null ? "null" : "\"" + next + "\"")
                + "}").getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> trigger(String body) {
        var response = call("POST", "/api/sync", body);
        assertEquals(202, response.statusCode(), response.body());
        return response;
    }

    private static String id(HttpResponse<String> queued) {
        return (String) HttpProbe.json(queued).get("sync_id");
    }

    private Map<String, Object> awaitStatus(HttpResponse<String> queued, String status) {
        String location = queued.headers().firstValue("Location").orElseThrow();
        Map<String, Object>[] run = new Map[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = HttpProbe.json(call("GET", location, null));
            return status.equals(run[0].get("status"));
        });
        return run[0];
    }

    /** How long attempt {@code attempt} of the run said to wait before the next one (ms). */
    private long wait(String syncId, int attempt) throws Exception {
        return database.queryLong("SELECT round(extract(epoch FROM next_attempt_at - attempt_completed_at) * 1000)"
                + "::bigint FROM tributary.test_retry_log WHERE sync_id = '" + syncId + "' AND attempt = " + attempt);
    }

    private Instant instant(String sql) throws Exception {
        return Instant.EPOCH.plus(database.queryLong("SELECT (extract(epoch FROM (" + sql + ")) * 1000000)::bigint"),
                ChronoUnit.MICROS);
    }

    /** The alert of that event for that run, once delivered, with its signature checked. */
    private Map<String, Object> awaitAlert(String syncId, String event) throws Exception {
        String[][] found = new String[1][];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (String[] post : alerts) {
                var body = HttpProbe.json(post[1]);
                if (syncId.equals(body.get("sync_id")) && event.equals(body.get("event"))) {
                    found[0] = post;
                    return true;
                }
            }
            return false;
        });
        String[] signature = found[0][0].split(",");
        long t = Long.parseLong(signature[0].substring(2));
        assertEquals("v1=" + Alerts.sign(ALERT_SECRET, t, found[0][1]), signature[1]);
        return HttpProbe.json(found[0][1]);
    }

    /** Every member an alert carries, each with what it must say. */
    private void assertAlert(Map<String, Object> alert, String event, String syncId, String appKey, String collection,
                             String errorPart) throws Exception {
        assertEquals(Set.of("event", "sync_id", "tenant_id", "app_key", "collection", "error", "timestamp",
                "records_processed"), alert.keySet(), alert.toString());
        assertEquals(event, alert.get("event"));
        assertEquals(syncId, alert.get("sync_id"));
        assertEquals("acme", alert.get("tenant_id"));
        assertEquals(appKey, alert.get("app_key"));
        assertEquals(collection, alert.get("collection"));
        assertTrue(((String) alert.get("error")).contains(errorPart), alert.toString());
        Instant at = Instant.parse((String) alert.get("timestamp"));
        Instant started = instant("SELECT max(started_at) FROM tributary.sync_runs WHERE id = '" + syncId + "'");
        assertFalse(at.isBefore(started.truncatedTo(ChronoUnit.MILLIS)), "sent when the run ended: " + at);
        assertFalse(at.isAfter(Instant.now()), at.toString());
        assertTrue(alert.get("records_processed") instanceof Number, alert.toString());
    }
}
