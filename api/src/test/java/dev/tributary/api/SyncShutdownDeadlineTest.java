package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node told to stop (SIGTERM) while its sync waits on a source that never answers exits
 * soon after its shutdown timeout, handing the run back; another node finishes it.
 */
@Tag("cluster")
class SyncShutdownDeadlineTest {

    static final String ADMIN_KEY = "admin-key-for-deadline-test-0001";
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);
    /** Room for the rest of a shutdown (HTTP server, pool, Quartz); far less than "forever". */
    static final Duration MARGIN = Duration.ofSeconds(20);

    private final TestDatabase database = TestPostgres.freshDatabase();

    @Test
    void aNodeShutDownWhileItsSourceStallsExitsAfterTheDeadlineAndTheRunResumesElsewhere() throws Exception {
        try (var saas = FakeSaasServer.start().putMany("items", "item", 40);
             var upstream = HeldUpstream.inFrontOf(saas.baseUri());
             var first = ServiceProcess.start(Map.of(
                     "DATASOURCES_DEFAULT_URL", database.jdbcUrl(),
                     "DATASOURCES_DEFAULT_USERNAME", database.username(),
                     "DATASOURCES_DEFAULT_PASSWORD", database.password(),
                     "TRIBUTARY_ADMIN_API_KEY", ADMIN_KEY,
                     "TRIBUTARY_CONNECTORS_HTTP_JSON_ALLOW_PRIVATE_ADDRESSES", "true",
                     "TRIBUTARY_NODE_ID", "deadline-1",
                     "TRIBUTARY_SCHEDULER_CHECKIN_INTERVAL", "1500",
                     "TRIBUTARY_SCHEDULER_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT.toSeconds() + "s"))) {
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() ->
                    new HttpProbe(first.uri()).get("/health").statusCode() == 200);
            var http = new HttpProbe(first.uri());
            String[] auth = http.tenantWithKey(ADMIN_KEY, "acme", "sync:admin");
            var app = http.send("POST", "/api/apps", "{\"app_key\": \"stalls\", \"connector\": \"http-json\","
                    + " \"name\": \"Stalls\", \"config\": {\"base_url\": \"" + upstream.baseUri() + "\","
                    + " \"read_timeout_ms\": 600000, \"pagination\": {\"style\": \"offset\", \"page_size\": 10},"
                    + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]}}", auth);
            assertEquals(201, app.statusCode(), app.body());
            upstream.hold(2);
            var queued = http.send("POST", "/api/sync", "{\"app_key\": \"stalls\", \"mode\": \"full\"}", auth);
            assertEquals(202, queued.statusCode(), queued.body());
            String id = (String) HttpProbe.json(queued).get("sync_id");
            upstream.awaitHeld(Duration.ofSeconds(60)); // its second page will never come
            await().atMost(Duration.ofSeconds(60)).until(() -> database.queryLong( // the first one is written
                    "SELECT records_total FROM tributary.sync_runs WHERE id = '" + id + "'") == 10);

            long stopping = System.nanoTime();
            first.terminate();
            first.awaitExit(SHUTDOWN_TIMEOUT.plus(MARGIN));
            assertTrue(Duration.ofNanos(System.nanoTime() - stopping).compareTo(SHUTDOWN_TIMEOUT) >= 0,
                    "it gave the sync its shutdown timeout first");
            assertEquals("queued", database.queryText("SELECT status FROM tributary.sync_runs WHERE id = '" + id + "'"));
            String attempts = database.queryText("SELECT attempts::text FROM tributary.sync_runs WHERE id = '" + id + "'");
            assertTrue(attempts.contains("\"interrupted\"") && attempts.contains("tributary.scheduler.shutdown-timeout (3s)"),
                    attempts);

            upstream.release();
            EmbeddedServer second = second();
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> "completed"
                        .equals(database.queryText("SELECT status FROM tributary.sync_runs WHERE id = '" + id + "'")));
                assertEquals("deadline-2", database.queryText("SELECT node_id FROM tributary.sync_runs WHERE id = '"
                        + id + "'"));
                assertEquals(40, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'stalls'"));
                assertEquals(40, database.queryLong("SELECT records_new FROM tributary.sync_runs WHERE id = '" + id + "'"));
            } finally {
                second.getApplicationContext().close();
            }
        }
    }

    private EmbeddedServer second() {
        return ApplicationContext.run(EmbeddedServer.class, ServiceSettings.of(database, ADMIN_KEY).localSources()
                .with("tributary.master-key", ServiceProcess.TEST_MASTER_KEY) // the first node sealed with it
                .with("tributary.scheduler.node-id", "deadline-2")
                .with("tributary.scheduler.checkin-interval", "1500")
                .contextProperties());
    }
}
