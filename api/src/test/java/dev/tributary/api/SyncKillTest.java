package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Three service processes on one database; the one running a large full sync is killed
 * (SIGKILL: no shutdown hooks); another recovers the run, which resumes from its last
 * committed page and ends with exactly the source's records.
 */
@Tag("cluster")
class SyncKillTest {

    static final String ADMIN_KEY = "admin-key-for-kill-test-00000001";
    static final int RECORDS = 2_000;

    private final TestDatabase database = TestPostgres.freshDatabase();

    @Test
    void aRunWhoseNodeIsKilledIsRecoveredByAnotherAndEndsWithExactlyTheSource() throws Exception {
        List<ServiceProcess> nodes = new ArrayList<>();
        try (var saas = FakeSaasServer.start().putMany("items", "item", RECORDS).delay(Duration.ofMillis(150))) {
            for (int i = 1; i <= 3; i++) {
                Map<String, String> environment = new HashMap<>(Map.of(
                        "DATASOURCES_DEFAULT_URL", database.jdbcUrl(),
                        "DATASOURCES_DEFAULT_USERNAME", database.username(),
                        "DATASOURCES_DEFAULT_PASSWORD", database.password(),
                        "TRIBUTARY_ADMIN_API_KEY", ADMIN_KEY,
                        "TRIBUTARY_CONNECTORS_HTTP_JSON_ALLOW_PRIVATE_ADDRESSES", "true",
                        "TRIBUTARY_NODE_ID", "killable-" + i,
                        "TRIBUTARY_SCHEDULER_CHECKIN_INTERVAL", "1500",
                        "TRIBUTARY_SCHEDULER_LOCK_RETRY_DELAY", "500ms"));
                nodes.add(ServiceProcess.start(environment));
            }
            for (ServiceProcess node : nodes) {
                await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() ->
                        new HttpProbe(node.uri()).get("/health").statusCode() == 200);
            }
            var first = new HttpProbe(nodes.get(0).uri());
            String[] auth = first.tenantWithKey(ADMIN_KEY, "acme", "sync:admin");
            var app = first.send("POST", "/api/apps", "{\"app_key\": \"big\", \"connector\": \"http-json\", \"name\": \"Big\","
                    + " \"config\": {\"base_url\": \"" + saas.baseUri() + "\", \"pagination\": {\"style\": \"offset\","
                    + " \"page_size\": 50}, \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]}}", auth);
            assertEquals(201, app.statusCode(), app.body());
            var run = first.send("POST", "/api/sync", "{\"app_key\": \"big\", \"mode\": \"full\"}", auth);
            assertEquals(202, run.statusCode(), run.body());
            String id = (String) HttpProbe.json(run).get("sync_id");

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'big'") >= 200);
            String victim = database.queryText("SELECT node_id FROM tributary.sync_runs WHERE id = '" + id + "'");
            ServiceProcess running = nodes.get(Integer.parseInt(victim.substring(victim.length() - 1)) - 1);
            running.kill();
            long writtenBeforeKill = database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'big'");

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                    "completed".equals(database.queryText("SELECT status FROM tributary.sync_runs WHERE id = '" + id + "'")));
            assertNotEquals(victim, database.queryText("SELECT node_id FROM tributary.sync_runs WHERE id = '" + id + "'"),
                    "another node finished it");
            assertEquals(RECORDS, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'big'"),
                    "no loss, no duplicates (killed after " + writtenBeforeKill + ")");
            assertEquals(RECORDS, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'big'"
                    + " AND external_id ~ '^item-[0-9]+$' AND substring(external_id from 6)::int BETWEEN 1 AND " + RECORDS));
            assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.sync_runs WHERE app_key = 'big'"), "one run, recovered");
        } finally {
            for (ServiceProcess node : nodes) {
                node.close();
            }
        }
    }
}
