package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node shut down gracefully stops its running sync at a batch boundary and hands the run back. */
@Tag("cluster")
class SyncShutdownTest {

    static final String ADMIN_KEY = "admin-key-for-shutdown-test-0001";

    private final TestDatabase database = TestPostgres.freshDatabase();

    private EmbeddedServer node(String id, boolean worker) {
        return ApplicationContext.run(EmbeddedServer.class, ServiceSettings.of(database, ADMIN_KEY).localSources()
                .with("tributary.scheduler.node-id", id)
                .with("tributary.scheduler.worker", Boolean.toString(worker))
                .contextProperties());
    }

    @Test
    void aRunningSyncStopsAtABatchBoundaryOnShutdownAndAnotherNodeFinishesIt() throws Exception {
        try (var saas = FakeSaasServer.start().putMany("items", "item", 200).delay(Duration.ofMillis(150))) {
            EmbeddedServer first = node("graceful-1", true);
            var http = new HttpProbe(first.getURI());
            String[] auth = http.tenantWithKey(ADMIN_KEY, "acme", "sync:admin");
            assertEquals(201, http.send("POST", "/api/apps", "{\"app_key\": \"long\", \"connector\": \"http-json\","
                    + " \"name\": \"Long\", \"config\": {\"base_url\": \"" + saas.baseUri() + "\", \"pagination\":"
                    + " {\"style\": \"offset\", \"page_size\": 10}, \"collections\": [{\"collection_key\": \"items\","
                    + " \"path\": \"items\"}]}}", auth).statusCode());
            String id = (String) HttpProbe.json(http.send("POST", "/api/sync",
                    "{\"app_key\": \"long\", \"mode\": \"full\"}", auth)).get("sync_id");
            await().atMost(Duration.ofSeconds(30)).until(() -> database.queryLong(
                    "SELECT count(*) FROM tributary.entities WHERE app_key = 'long'") >= 20);

            long started = System.nanoTime();
            first.getApplicationContext().close();
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15,
                    "shutdown waited for a batch boundary, not for the whole sync");
            assertEquals("queued", database.queryText("SELECT status FROM tributary.sync_runs WHERE id = '" + id + "'"));
            long written = database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'long'");
            assertTrue(written < 200, "stopped part-way: " + written);

            EmbeddedServer second = node("graceful-2", true);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        "completed".equals(database.queryText("SELECT status FROM tributary.sync_runs WHERE id = '" + id + "'")));
                assertEquals("200", database.queryText("SELECT count(*) FROM tributary.entities WHERE app_key = 'long'"));
                assertEquals("graceful-2", database.queryText("SELECT node_id FROM tributary.sync_runs WHERE id = '" + id + "'"));
                assertTrue(database.queryText("SELECT attempts::text FROM tributary.sync_runs WHERE id = '" + id + "'")
                        .contains("interrupted"));
            } finally {
                second.getApplicationContext().close();
            }
        }
    }
}
