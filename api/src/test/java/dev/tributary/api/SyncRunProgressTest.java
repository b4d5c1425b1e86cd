package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a run reports while it runs and after, over the API: the node running it, its counts page
 * by page and across attempts, and an attempt whose source stalls failing at the page timeout.
 */
class SyncRunProgressTest {

    static final String ADMIN_KEY = "admin-key-for-progress-test-0001";

    private final TestDatabase database = TestPostgres.freshDatabase();
    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 30);
    private final HeldUpstream upstream = HeldUpstream.inFrontOf(saas.baseUri());
    private EmbeddedServer node;
    private HttpProbe http;
    private String[] auth;

    private void start(String nodeId, Map<String, Object> extra) {
        Map<String, Object> properties = ServiceSettings.of(database, ADMIN_KEY).localSources()
                .with("tributary.scheduler.node-id", nodeId)
                .with("tributary.scheduler.threads", "1")
                .with("tributary.scheduler.retry-base-delay", "1s")
                .contextProperties();
        properties.putAll(extra);
        node = ApplicationContext.run(EmbeddedServer.class, properties);
        http = new HttpProbe(node.getURI());
        auth = http.tenantWithKey(ADMIN_KEY, "acme", "sync:admin");
    }

    @AfterEach
    void stop() {
        upstream.close();
        if (node != null) {
            node.getApplicationContext().close();
        }
        saas.close();
    }

    /** An app reading {@code base} in pages of ten; the source may take up to ten minutes to answer. */
    private void app(URI base) {
        var created = http.send("POST", "/api/apps", "{\"app_key\": \"shop\", \"connector\": \"http-json\","
                + " \"name\": \"Shop\", \"config\": {\"base_url\": \"" + base + "\", \"read_timeout_ms\": 600000,"
                + " \"pagination\": {\"style\": \"offset\", \"page_size\": 10},"
                + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]}}", auth);
        assertEquals(201, created.statusCode(), created.body());
    }

    private String trigger() {
        var queued = http.send("POST", "/api/sync", "{\"app_key\": \"shop\", \"mode\": \"full\"}", auth);
        assertEquals(202, queued.statusCode(), queued.body());
        return (String) HttpProbe.json(queued).get("sync_id");
    }

    private Map<String, Object> run(String id) {
        return HttpProbe.json(http.get("/api/sync/status/" + id, auth));
    }

    private Map<String, Object> awaitStatus(String id, String status) {
        Map<String, Object>[] run = new Map[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals((run[0] = run(id)).get("status")));
        return run[0];
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> records(Map<String, Object> run) {
        return (Map<String, Object>) run.get("records");
    }

    @Test
    void aRunShowsTheNodeRunningItAndItsCountsPageByPage() throws Exception {
        start("progress-node-1", Map.of());
        app(upstream.baseUri());
        upstream.hold(2);
        String id = trigger();
        upstream.awaitHeld(Duration.ofSeconds(60));

        // The request for page 2 is held, but page 1 may still be being written (the read runs ahead):
        // the first page's counts show as soon as its transaction commits, while the run is still running.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> Integer.valueOf(10).equals(records(run(id)).get("total")));
        var running = run(id);
        assertEquals("running", running.get("status"));
        assertEquals("progress-node-1", running.get("node_id"));
        var listed = HttpProbe.json(http.get("/api/sync/status?app_key=shop", auth));
        assertEquals("progress-node-1", ((List<Map<String, Object>>) listed.get("items")).get(0).get("node_id"));

        upstream.release();
        var done = awaitStatus(id, "completed");
        assertEquals("progress-node-1", done.get("node_id"));
        assertEquals(30, records(done).get("total"));
        assertEquals(30, records(done).get("new"));
    }

    @Test
    void aRetriedRunCountsTheWorkOfEveryAttempt() throws Exception {
        start("progress-node-2", Map.of());
        app(saas.baseUri());
        saas.failAt(3, 503); // the first attempt writes two pages, then fails; the retry resumes at the third
        String id = trigger();
        var done = awaitStatus(id, "completed");
        assertEquals(2, ((List<?>) done.get("attempts")).size(), done.toString());
        assertEquals(30, records(done).get("total"));
        assertEquals(30, records(done).get("new"));
        assertEquals(30L, saasRows());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStalledSourceFailsTheAttemptAtThePageTimeoutAndFreesItsWorkerAndLock() throws Exception {
        // One worker thread: the retry can only run if the stalled attempt gave its thread and its lock back.
        start("progress-node-3", Map.of("tributary.engine.page-timeout", "2s"));
        app(upstream.baseUri());
        upstream.hold(2); // the first attempt's second page never comes
        String id = trigger();
        var done = awaitStatus(id, "completed");
        var attempts = (List<Map<String, Object>>) done.get("attempts");
        assertEquals(2, attempts.size(), done.toString());
        assertEquals("failed", attempts.get(0).get("status"));
        assertEquals("items: no page from the source within 2s (tributary.engine.page-timeout)",
                attempts.get(0).get("error"));
        assertEquals("completed", attempts.get(1).get("status"));
        assertEquals(30L, saasRows());
        assertEquals(30, records(done).get("new"));
    }

    @Test
    void aDryRunReportsTheCountsOfTheAttemptThatEndedItAndWritesNoRecords() throws Exception {
        start("progress-node-4", Map.of());
        app(saas.baseUri());
        var queued = http.send("POST", "/api/sync", "{\"app_key\": \"shop\", \"mode\": \"full\", \"dry_run\": true}",
                auth);
        assertEquals(202, queued.statusCode(), queued.body());
        var done = awaitStatus((String) HttpProbe.json(queued).get("sync_id"), "completed");
        assertEquals(30, records(done).get("total"));
        assertEquals(30, records(done).get("new"));
        assertEquals(0L, saasRows());
    }

    private long saasRows() throws java.sql.SQLException {
        return database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'shop'");
    }
}
