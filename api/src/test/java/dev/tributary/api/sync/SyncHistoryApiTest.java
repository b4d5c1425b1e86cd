package dev.tributary.api.sync;

import dev.tributary.api.HttpProbe;
import dev.tributary.api.ServiceSettings;
import dev.tributary.api.StripeToIntercom;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
import dev.tributary.scheduler.push.Pushes;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.tributary.api.StripeToIntercom.CONTACTS;
import static dev.tributary.api.StripeToIntercom.CUSTOMERS;
import static dev.tributary.api.StripeToIntercom.SOURCE;
import static dev.tributary.api.StripeToIntercom.TARGET;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/sync/history} over a real socket, on a history made once: four pulls triggered through
 * {@code POST /api/sync} (a full and an incremental one of Stripe customers, one with a bad record, one refused
 * by Stripe) and four pushes of sync list items to Intercom queued for two keys of the tenant (a delta push, a
 * full one with an item Intercom refuses, a scheduled one, one refused by Intercom). Each shows its history type
 * and status; the filters, pages and each caller's view are checked against that history.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncHistoryApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-history-tests-0001";
    private static final List<String> ENDED = List.of("completed", "completed_with_errors", "failed", "dead_lettered",
            "cancelled");

    @Inject
    EmbeddedServer server;
    @Inject
    Pushes pushes;
    @Inject
    SyncListItems items;
    @Inject
    TenantScope scope;

    private final StripeToIntercom fakes = new StripeToIntercom();
    /** Two good items and one whose updated_at is not a time: a pull that completes with errors. */
    private final FakeSaasServer broken = FakeSaasServer.start().putMany("items", "item", 2)
            .put("items", "bad-1", Map.of("updated_at", "not a time"));
    private final TenantId acme = new TenantId("acme");
    private String[] admin;
    private String[] alice;
    private String[] bob;
    private String[] globex;
    private String aliceOwner;
    private String bobOwner;

    private String fullPull;
    private String incrementalPull;
    private String partialPull;
    private String failedPull;
    private String deltaPush;
    private String partialPush;
    private String scheduledPush;
    private String failedPush;

    @Override
    public Map<String, String> getProperties() {
        return fakes.on(ServiceSettings.of(TestPostgres.freshDatabase(), ADMIN_KEY).localSources().unlimitedRates()
                .with("tributary.scheduler.idle-wait", "1s")).properties();
    }

    @BeforeAll
    void history() {
        admin = http().tenantWithKey(ADMIN_KEY, "acme", "sync:admin");
        var aliceKey = issue("acme", "sync:write");
        alice = HttpProbe.asTenant((String) aliceKey.get("key"), "acme");
        aliceOwner = "key:" + aliceKey.get("id");
        var bobKey = issue("acme", "sync:read");
        bob = HttpProbe.asTenant((String) bobKey.get("key"), "acme");
        bobOwner = "key:" + bobKey.get("id");
        globex = http().tenantWithKey(ADMIN_KEY, "globex", "sync:read");
        fakes.createApps(http(), admin);
        var shop = http().send("POST", "/api/apps", "{\"app_key\": \"shop\", \"connector\": \"http-json\", \"name\":"
                + " \"Shop\", \"config\": {\"base_url\": \"" + broken.baseUri() + "\", \"auth\": {\"type\": \"bearer\"},"
                + " \"updated_at_field\": \"updated_at\", \"collections\": [{\"collection_key\": \"items\", \"path\":"
                + " \"items\"}]}, \"credentials\": {\"token\": \"tok\"}}", admin);
        assertEquals(201, shop.statusCode(), shop.body());

        String ann = fakes.customer("Ann", "ann@example.com");
        String carol = fakes.customer("Carol", "carol@example.com");
        String dave = fakes.customer("Dave", "dave@example.com");
        fullPull = pull("{\"app_key\": \"billing\", \"collection\": \"stripe_customer\", \"mode\": \"full\"}",
                "completed");
        incrementalPull = pull("{\"app_key\": \"billing\", \"mode\": \"incremental\"}", "completed");
        partialPull = pull("{\"app_key\": \"shop\", \"collection\": \"items\", \"mode\": \"full\"}",
                "completed_with_errors");
        fakes.stripe.failNext(1, 401);
        failedPull = pull("{\"app_key\": \"billing\", \"mode\": \"incremental\"}", "failed");

        fakes.intercom.create("contact", Map.of("role", "user", "email", "carol@example.com"));
        SyncListItem annItem = StripeToIntercom.list(scope, items, acme, aliceOwner, ann, true);
        SyncListItem carolItem = StripeToIntercom.list(scope, items, acme, aliceOwner, carol, true);
        SyncListItem daveItem = StripeToIntercom.list(scope, items, acme, bobOwner, dave, true);
        deltaPush = push(aliceOwner, RunMode.DELTA, RunTrigger.MANUAL, "completed", annItem);
        partialPush = push(aliceOwner, RunMode.FULL, RunTrigger.MANUAL, "completed_with_errors", annItem, carolItem);
        scheduledPush = push(bobOwner, RunMode.DELTA, RunTrigger.SCHEDULE, "completed", daveItem);
        fakes.intercom.failNext(1, 401);
        failedPush = push(bobOwner, RunMode.FULL, RunTrigger.MANUAL, "failed", daveItem);
    }

    @AfterAll
    void stop() {
        fakes.close();
        broken.close();
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    /** A key of {@code role} issued through the operator API: its id and its secret. */
    private Map<String, Object> issue(String tenant, String role) {
        var issued = http().send("POST", "/admin/tenants/" + tenant + "/api-keys", "{\"name\": \"history\","
                + " \"roles\": [\"" + role + "\"]}", "Authorization", "Bearer " + ADMIN_KEY, "Content-Type",
                "application/json");
        assertEquals(201, issued.statusCode(), issued.body());
        return HttpProbe.json(issued);
    }

    /** Triggers a pull as the tenant's admin and waits for it to end in {@code status}; returns its id. */
    private String pull(String body, String status) {
        var queued = http().send("POST", "/api/sync", body, admin);
        assertEquals(202, queued.statusCode(), queued.body());
        return ended((String) HttpProbe.json(queued).get("sync_id"), status);
    }

    /** Queues a push of {@code pushed} for {@code owner} and waits for it to end in {@code status}. */
    private String push(String owner, RunMode mode, RunTrigger trigger, String status, SyncListItem... pushed) {
        var run = pushes.queue(acme, owner, TARGET, Arrays.stream(pushed).map(SyncListItem::id).toList(), mode,
                trigger, null);
        return ended(run.id().toString(), status);
    }

    private String ended(String syncId, String status) {
        Map<String, Object>[] run = new Map[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = HttpProbe.json(http().get("/api/sync/status/" + syncId, admin));
            return ENDED.contains(run[0].get("status"));
        });
        assertEquals(status, run[0].get("status"), run[0].toString());
        return syncId;
    }

    private HttpResponse<String> history(String query, String... auth) {
        return http().get("/api/sync/history" + query, auth);
    }

    private Map<String, Object> page(String query, String... auth) {
        var response = history(query, auth);
        assertEquals(200, response.statusCode(), response.body());
        return HttpProbe.json(response);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static List<Object> ids(Map<String, Object> page) {
        return entries(page).stream().map(entry -> entry.get("sync_id")).toList();
    }

    private static Map<String, Object> entry(Map<String, Object> page, String syncId) {
        return entries(page).stream().filter(entry -> syncId.equals(entry.get("sync_id"))).findFirst()
                .orElseThrow(() -> new AssertionError(syncId + " not in " + page));
    }

    private static long number(Map<String, Object> entry, String member) {
        return ((Number) entry.get(member)).longValue();
    }

    /** The ids of the page for {@code query} as {@code auth}, after checking its total counts them all. */
    private List<Object> listed(String query, String... auth) {
        var page = page(query, auth);
        assertEquals(ids(page).size(), number(page, "total"), page.toString());
        return ids(page);
    }

    @Test
    void pullsAndPushesAreListedNewestFirstEachWithItsSyncTypeAndHistoryStatus() {
        var page = page("", admin);
        assertEquals(List.of(failedPush, scheduledPush, partialPush, deltaPush, failedPull, partialPull,
                incrementalPull, fullPull), ids(page));
        assertEquals(List.of(8L, 20L, 0L), List.of(number(page, "total"), number(page, "limit"),
                number(page, "offset")));
        assertEquals(List.of("full", "scheduled", "full", "delta", "manual", "full", "manual", "full"),
                entries(page).stream().map(entry -> entry.get("sync_type")).toList());
        assertEquals(List.of("failed", "completed", "partial_success", "completed", "failed", "partial_success",
                "completed", "completed"), entries(page).stream().map(entry -> entry.get("status")).toList());
        assertEquals(List.of("failed", "completed", "completed_with_errors", "completed", "failed",
                        "completed_with_errors", "completed", "completed"),
                entries(page).stream().map(entry -> entry.get("run_status")).toList());

        var pulled = entry(page, fullPull);
        assertEquals(List.of("pull", SOURCE, CUSTOMERS, "manual", "full"), List.of(pulled.get("kind"),
                pulled.get("app_key"), pulled.get("collection"), pulled.get("trigger"), pulled.get("mode")));
        assertEquals(List.of(3L, 3L, 0L, 0L, 0L), List.of(number(pulled, "items_processed"),
                number(pulled, "items_created"), number(pulled, "items_updated"), number(pulled, "items_unchanged"),
                number(pulled, "items_failed")));
        assertFalse(pulled.containsKey("owner"), "a pull has no owner: " + pulled);
        assertEquals(List.of(3L, 2L, 1L), List.of(number(entry(page, partialPull), "items_processed"),
                number(entry(page, partialPull), "items_created"), number(entry(page, partialPull), "items_failed")));

        var partial = entry(page, partialPush);
        assertEquals(List.of("push", TARGET, CONTACTS, aliceOwner, "manual", "full"), List.of(partial.get("kind"),
                partial.get("app_key"), partial.get("collection"), partial.get("owner"), partial.get("trigger"),
                partial.get("mode")));
        assertEquals(List.of(2L, 0L, 1L, 0L, 1L), List.of(number(partial, "items_processed"),
                number(partial, "items_created"), number(partial, "items_updated"), number(partial, "items_unchanged"),
                number(partial, "items_failed")), "Ann pushed again, Carol refused as a duplicate");
        for (String member : List.of("queued_at", "started_at", "completed_at", "duration_ms")) {
            assertNotNull(partial.get(member), member + " of " + partial);
        }
        var scheduled = entry(page, scheduledPush);
        assertEquals(List.of(bobOwner, "schedule", "delta", 1L), List.of(scheduled.get("owner"),
                scheduled.get("trigger"), scheduled.get("mode"), number(scheduled, "items_created")),
                "scheduled whatever its mode");
        assertEquals(List.of("delta", 1L), List.of(entry(page, deltaPush).get("sync_type"),
                number(entry(page, deltaPush), "items_created")));
    }

    @Test
    void eachFilterNarrowsTheListAndItsTotal() {
        assertEquals(List.of(failedPush, partialPush, partialPull, fullPull), listed("?sync_type=full", admin));
        assertEquals(List.of(failedPull, incrementalPull), listed("?sync_type=manual", admin));
        assertEquals(List.of(deltaPush), listed("?sync_type=delta", admin));
        assertEquals(List.of(scheduledPush), listed("?sync_type=scheduled", admin));
        assertEquals(List.of(partialPush, partialPull), listed("?status=partial_success", admin));
        assertEquals(List.of(failedPush, failedPull), listed("?status=failed", admin));
        assertEquals(List.of(), listed("?status=running", admin));
        assertEquals(List.of(failedPush, scheduledPush, partialPush, deltaPush), listed("?kind=push", admin));
        assertEquals(List.of(failedPull, partialPull, incrementalPull, fullPull), listed("?kind=pull", admin));
        assertEquals(List.of(failedPull, incrementalPull, fullPull), listed("?app_key=billing", admin));
        assertEquals(List.of(), listed("?app_key=nothing", admin));
        assertEquals(List.of(failedPull), listed("?kind=pull&status=failed&app_key=billing&sync_type=manual", admin));
        assertEquals(List.of(partialPush), listed("?kind=push&sync_type=full&status=partial_success", admin));
    }

    @Test
    void pagesAreSlicesOfOneOrderAndTheTotalCountsEveryMatch() {
        var first = page("?limit=3", admin);
        assertEquals(List.of(failedPush, scheduledPush, partialPush), ids(first));
        assertEquals(List.of(8L, 3L, 0L), List.of(number(first, "total"), number(first, "limit"),
                number(first, "offset")));
        var middle = page("?limit=3&offset=3", admin);
        assertEquals(List.of(deltaPush, failedPull, partialPull), ids(middle));
        var last = page("?limit=3&offset=6", admin);
        assertEquals(List.of(incrementalPull, fullPull), ids(last));
        assertEquals(8, number(last, "total"));
        var beyond = page("?offset=8", admin);
        assertEquals(List.of(), ids(beyond));
        assertEquals(8, number(beyond, "total"));
        var filtered = page("?kind=push&limit=1&offset=1", admin);
        assertEquals(List.of(scheduledPush), ids(filtered));
        assertEquals(4, number(filtered, "total"));
    }

    @Test
    void aKeySeesTheTenantsPullsAndItsOwnPushesAnAdminEveryOwnersAnotherTenantNone() {
        List<Object> pulls = List.of(failedPull, partialPull, incrementalPull, fullPull);
        assertEquals(concat(List.of(partialPush, deltaPush), pulls), listed("", alice));
        assertEquals(concat(List.of(failedPush, scheduledPush), pulls), listed("", bob));
        assertEquals(List.of(), listed("?status=partial_success&kind=push", bob), "Alice's push is hidden from Bob");
        assertEquals(List.of(failedPush, scheduledPush, partialPush, deltaPush), listed("?kind=push", admin),
                "sync:admin: every owner's pushes");
        assertEquals(List.of(), listed("", globex));
        assertEquals(List.of(), listed("?app_key=billing", globex));
    }

    private static List<Object> concat(List<Object> first, List<Object> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }

    @Test
    void aFilterValueItDoesNotTakeOrAnUnknownOrRepeatedParameterIs400NamingIt() {
        for (String[] refused : new String[][]{{"?sync_type=weekly", "sync_type"}, {"?sync_type=FULL", "sync_type"},
                {"?status=completed_with_errors", "status"}, {"?status=dead_lettered", "status"},
                {"?kind=both", "kind"}, {"?app_key=bad%20key", "app_key"}, {"?limit=0", "limit"},
                {"?limit=101", "limit"}, {"?limit=ten", "limit"}, {"?offset=-1", "offset"},
                {"?synctype=full", "synctype"}, {"?kind=pull&kind=push", "kind"},
                {"?status=failed&status=failed", "status"}}) {
            var response = history(refused[0], admin);
            assertEquals(400, response.statusCode(), refused[0] + ": " + response.body());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
            var errors = (List<?>) HttpProbe.json(response).get("errors");
            assertTrue(errors != null && errors.stream().anyMatch(error -> refused[1].equals(((Map<?, ?>) error)
                    .get("field"))), refused[0] + ": " + response.body());
        }
        assertTrue(((String) ((Map<?, ?>) ((List<?>) HttpProbe.json(history("?status=done", admin)).get("errors"))
                .get(0)).get("message")).contains("partial_success"), "the message lists the values it takes");
        assertEquals(401, history("").statusCode(), "no key");
        assertEquals(401, history("", "Authorization", "Bearer " + ADMIN_KEY, "X-Tenant-ID", "acme").statusCode(),
                "the operator's key is no tenant's");
    }
}
