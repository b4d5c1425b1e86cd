package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.EmbeddedPostgresServer;
import dev.tributary.db.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL restarted, or crashed, at several moments of a sync: while the sync fetches a
 * page, while it writes one, and while another transaction holds the target's lock. Every
 * time the run ends completed — after a retry where an attempt was cut short — with exactly
 * the source's rows and counts that cover all its attempts. The service reconnects (Hikari)
 * and Quartz carries on. A database of its own (embedded, fixed data directory and port, so
 * it can be stopped and started again) keeps the shared test server out of it; each moment
 * is reached on an observable event (a held request, a backend waiting on a lock), never
 * after a sleep.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncDatabaseRestartTest {

    static final String ADMIN_KEY = "admin-key-for-restart-test-00001";
    static final int RECORDS = 60;

    private Path dataDirectory;
    private int port;
    private EmbeddedPostgresServer postgres;
    private TestDatabase database;
    private EmbeddedServer node;
    private HttpProbe http;
    private String[] auth;

    @BeforeAll
    void startDatabaseAndNode() throws Exception {
        dataDirectory = Files.createTempDirectory("tributary-restart-pg");
        port = ServiceProcess.freePort();
        postgres = EmbeddedPostgresServer.start(dataDirectory, port);
        postgres.createDatabaseIfMissing("tributary");
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), EmbeddedPostgresServer.SUPERUSER,
                "")) {
            c.createStatement().execute("CREATE ROLE restart_runtime LOGIN PASSWORD 'runtime-secret'");
        }
        database = new TestDatabase(postgres.jdbcUrl("tributary"), EmbeddedPostgresServer.SUPERUSER, "",
                "restart_runtime", "runtime-secret");
        node = ApplicationContext.run(EmbeddedServer.class, ServiceSettings.of(database, ADMIN_KEY).localSources()
                .with("tributary.scheduler.node-id", "restart-1")
                .with("tributary.scheduler.lock-retry-delay", "200ms")
                .with("tributary.scheduler.retry-base-delay", "1s")
                .contextProperties());
        http = new HttpProbe(node.getURI());
        auth = http.tenantWithKey(ADMIN_KEY, "acme", "sync:admin");
    }

    @AfterAll
    void stopNodeAndDatabase() {
        if (node != null) {
            node.getApplicationContext().close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aDatabaseCrashWhileTheSyncFetchesLosesNothingTheSourceStillHas() throws Exception {
        try (var saas = FakeSaasServer.start().putMany("items", "item", RECORDS);
             var upstream = HeldUpstream.inFrontOf(saas.baseUri())) {
            app("fetching", upstream);
            assertEquals("completed", awaitEnd(trigger("fetching")));
            saas.remove("items", "item-55");

            upstream.hold(3);
            String id = trigger("fetching");
            upstream.awaitHeld(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).until(() -> run(id, "records_total") == 20); // two pages written
            owner("CHECKPOINT"); // those pages are durable: what a crash may cost is not the point here
            crash();
            upstream.release();

            assertEquals("completed", awaitEnd(id));
            assertEquals(2, attempts(id), "the attempt that lost its lock, and the retry that resumed it");
            assertSourceRows("fetching", RECORDS - 1);
            assertEquals(1, run(id, "records_deleted"), "item-55 only: the seen-set outlived the crash");
            assertEquals(RECORDS - 1, run(id, "records_total"), "each page counted once, across both attempts");
        }
    }

    @Test
    void aDatabaseRestartWhileASyncWritesAPageEndsWithExactlyTheSource() throws Exception {
        try (var saas = FakeSaasServer.start().putMany("items", "item", RECORDS);
             var upstream = HeldUpstream.inFrontOf(saas.baseUri());
             Connection blocker = DriverManager.getConnection(database.jdbcUrl(), database.username(),
                     database.password())) {
            app("writing", upstream);
            // An uncommitted row with the key of a record on the third page: that page's insert waits for it.
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("INSERT INTO tributary.entities (tenant_id, app_key, collection_key,"
                    + " external_id, raw_payload, content_hash) VALUES ('acme', 'writing', 'items', 'item-25', '{}',"
                    + " '\\x00')");
            String id = trigger("writing");
            await().atMost(Duration.ofSeconds(60)).until(() -> database.queryLong("SELECT count(*) FROM"
                    + " pg_stat_activity WHERE datname = 'tributary' AND wait_event_type = 'Lock'"
                    + " AND query LIKE 'INSERT INTO entities%'") == 1);
            restart();

            assertEquals("completed", awaitEnd(id));
            assertEquals(2, attempts(id));
            assertEquals("items: database error", database.queryText("SELECT attempts->0->>'error'"
                    + " FROM tributary.sync_runs WHERE id = '" + id + "'"));
            assertSourceRows("writing", RECORDS);
            assertEquals(RECORDS, run(id, "records_new"), "the page that failed is counted once, by the retry");
            assertEquals(RECORDS, run(id, "records_total"));
        }
    }

    @Test
    void aDatabaseRestartWhileAnotherTransactionHoldsTheTargetsLockEndsWithExactlyTheSource() throws Exception {
        try (var saas = FakeSaasServer.start().putMany("items", "item", RECORDS);
             var upstream = HeldUpstream.inFrontOf(saas.baseUri());
             Connection holder = DriverManager.getConnection(database.jdbcUrl(), database.username(),
                     database.password())) {
            app("locked", upstream);
            owner("INSERT INTO tributary.sync_locks (tenant_id, app_key, collection_key)"
                    + " VALUES ('acme', 'locked', 'items') ON CONFLICT DO NOTHING");
            holder.setAutoCommit(false);
            holder.createStatement().execute("SELECT * FROM tributary.sync_locks WHERE tenant_id = 'acme'"
                    + " AND app_key = 'locked' FOR UPDATE");
            var lockWaits = node.getApplicationContext().getBean(MeterRegistry.class)
                    .counter("tributary.sync.lock.waits");
            double waitsBefore = lockWaits.count();
            String id = trigger("locked");
            await().atMost(Duration.ofSeconds(60)).until(() -> lockWaits.count() > waitsBefore); // it waits, queued
            restart();

            assertEquals("completed", awaitEnd(id));
            assertEquals(1, attempts(id), "it never started before the restart");
            assertSourceRows("locked", RECORDS);
            assertEquals(RECORDS, run(id, "records_new"));
        }
    }

    /** Stops PostgreSQL (fast shutdown: sessions end, transactions roll back) and starts it again. */
    private void restart() {
        postgres.close();
        postgres = EmbeddedPostgresServer.start(dataDirectory, port);
    }

    /**
     * Crashes PostgreSQL: a server process killed with SIGKILL makes the postmaster end every
     * session and recover from its WAL, as after a power cut (unlogged tables come back empty).
     */
    private void crash() throws Exception {
        long pid;
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery("SELECT pg_backend_pid()");
            rs.next();
            pid = rs.getLong(1);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        } catch (SQLException expected) {
            // The connection went with its process.
        }
        // It accepts connections again once it has recovered.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> database.queryLong("SELECT 1") == 1);
    }

    private void app(String appKey, HeldUpstream upstream) {
        var created = http.send("POST", "/api/apps", "{\"app_key\": \"" + appKey + "\", \"connector\": \"http-json\","
                + " \"name\": \"" + appKey + "\", \"config\": {\"base_url\": \"" + upstream.baseUri() + "\","
                + " \"read_timeout_ms\": 600000, \"pagination\": {\"style\": \"offset\", \"page_size\": 10},"
                + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"}]}}", auth);
        assertEquals(201, created.statusCode(), created.body());
    }

    private String trigger(String appKey) {
        var queued = http.send("POST", "/api/sync", "{\"app_key\": \"" + appKey + "\", \"mode\": \"full\"}", auth);
        assertEquals(202, queued.statusCode(), queued.body());
        return (String) HttpProbe.json(queued).get("sync_id");
    }

    private static final List<String> FINISHED = List.of("completed", "completed_with_errors", "failed",
            "dead_lettered", "cancelled");

    /** Waits for the run to finish (through the API, which must answer again too) and returns its status. */
    private String awaitEnd(String id) {
        String[] status = new String[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                FINISHED.contains(status[0] = (String) HttpProbe.json(http.get("/api/sync/status/" + id, auth))
                        .get("status")));
        return status[0];
    }

    private long run(String id, String column) throws SQLException {
        return database.queryLong("SELECT " + column + " FROM tributary.sync_runs WHERE id = '" + id + "'");
    }

    private long attempts(String id) throws SQLException {
        return database.queryLong("SELECT jsonb_array_length(attempts) FROM tributary.sync_runs WHERE id = '" + id + "'");
    }

    /** The app's rows are exactly the source's: {@code expected} of them, each one of item-1 … item-60 once. */
    private void assertSourceRows(String appKey, int expected) throws SQLException {
        assertEquals(expected, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = '"
                + appKey + "'"));
        assertEquals(expected, database.queryLong("SELECT count(DISTINCT external_id) FROM tributary.entities"
                + " WHERE app_key = '" + appKey + "' AND external_id ~ '^item-[0-9]+$'"
                + " AND substring(external_id from 6)::int BETWEEN 1 AND " + RECORDS));
        assertTrue(expected == RECORDS || database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = '"
                + appKey + "' AND external_id = 'item-55'") == 0);
    }

    private void owner(String sql) throws SQLException {
        database.execute(sql);
    }
}
