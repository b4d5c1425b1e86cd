package dev.tributary.scheduler.run;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.NodeSettings;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.scheduler.alert.Alerts;
import dev.tributary.scheduler.app.AppDefinition;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.schedule.AppSchedules;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queued runs executed by a worker node with the app it loads (connector, opened credentials, alert channels). */
class SyncJobTest {

    private static final String TOKEN = "tok-worker-0001";
    private static final String ALERT_SECRET = "alert-signing-secret-0002";

    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 7).requireBearer(TOKEN);
    private final TestDatabase database = TestPostgres.freshDatabase();
    private final TenantId acme = new TenantId("acme");
    private final List<String> alertBodies = new CopyOnWriteArrayList<>();
    private HttpServer alertReceiver;
    private ApplicationContext worker;
    private Apps apps;
    private SyncQueue queue;

    @BeforeEach
    void start() throws Exception {
        alertReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        alertReceiver.createContext("/alerts", exchange -> {
            String signature = exchange.getRequestHeaders().getFirst(Alerts.SIGNATURE_HEADER);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
            try {
                if (signature.endsWith(",v1=" + Alerts.sign(ALERT_SECRET, t, body))) {
                    alertBodies.add(body);
                }
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        alertReceiver.start();
        Map<String, Object> properties = NodeSettings.on(database);
        properties.put("tributary.scheduler.worker", "true");
        properties.put("tributary.scheduler.threads", "2");
        properties.put("tributary.connectors.http-json.allow-private-addresses", "true");
        properties.put("tributary.alerts.allow-private-addresses", "true");
        worker = ApplicationContext.run(properties);
        apps = worker.getBean(Apps.class);
        queue = worker.getBean(SyncQueue.class);
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
    }

    @AfterEach
    void stop() {
        worker.close();
        saas.close();
        alertReceiver.stop(0);
    }

    private AppDefinition items(String appKey, String cron, int maxAttempts, AlertTarget alerts) {
        return new AppDefinition(appKey, "http-json", "Items", Map.of("base_url", saas.baseUri().toString(),
                "auth", Map.of("type", "bearer"), "collections", List.of(Map.of("collection_key", "items", "path", "items"))),
                Map.of("token", TOKEN), null, new AppDefinition.Schedule(cron, null, "full", cron != null), maxAttempts,
                alerts);
    }

    private String status(SyncRun run) throws Exception {
        return database.queryText("SELECT status FROM tributary.sync_runs WHERE id = '" + run.id() + "'");
    }

    private void awaitStatus(SyncRun run, String status) {
        await().atMost(Duration.ofSeconds(60)).until(() -> status.equals(status(run)));
    }

    @Test
    void aQueuedRunIsSyncedByAWorkerWithTheAppsOpenedCredentials() throws Exception {
        apps.create(acme, items("shop", null, 3, AlertTarget.NONE));
        SyncRun run = queue.enqueue(new SyncRequest(acme, "shop", null, RunMode.FULL, false, false),
                RunTrigger.MANUAL, 3, null);
        awaitStatus(run, "completed");
        assertEquals(7, database.queryLong("SELECT records_total FROM tributary.sync_runs WHERE id = '" + run.id() + "'"));
        assertEquals(7, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'shop'"),
                "the source answers only with the app's token");
    }

    @Test
    void aRunThatFailsForGoodIsAlertedToTheAppsWebhookSignedWithItsSecret() throws Exception {
        String webhook = "http://127.0.0.1:" + alertReceiver.getAddress().getPort() + "/alerts";
        apps.create(acme, items("alerted", null, 1, new AlertTarget(webhook, ALERT_SECRET, List.of())));
        saas.failNext(1, 401);
        SyncRun run = queue.enqueue(new SyncRequest(acme, "alerted", "items", RunMode.FULL, false, false),
                RunTrigger.MANUAL, 1, null);
        awaitStatus(run, "failed");
        await().atMost(Duration.ofSeconds(20)).until(() -> !alertBodies.isEmpty());
        String alert = alertBodies.get(0);
        assertTrue(alert.contains("\"event\":\"run_failed\"") && alert.contains(run.id().toString())
                && alert.contains("401"), alert);
    }

    @Test
    void anAppsScheduleFiringQueuesARunInItsModeThatAWorkerSyncs() throws Exception {
        apps.create(acme, items("scheduled", "0 6 * * *", 2, AlertTarget.NONE));
        // As if its cron came due: scheduling calls join the caller's transaction.
        TransactionOperations<Connection> transactions = worker.getBean(Argument.of(TransactionOperations.class,
                Connection.class));
        transactions.executeWrite(status -> {
            try {
                worker.getBean(Scheduler.class).triggerJob(AppSchedules.jobKey(acme, "scheduled"));
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(database.queryText(
                "SELECT status FROM tributary.sync_runs WHERE app_key = 'scheduled'")));
        assertEquals("schedule full 2", database.queryText("SELECT trigger || ' ' || mode || ' ' || max_attempts"
                + " FROM tributary.sync_runs WHERE app_key = 'scheduled'"));
        assertEquals(7, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'scheduled'"));
    }
}
