package dev.tributary.api.admin;

import dev.tributary.api.HttpProbe;
import dev.tributary.api.ServiceSettings;
import dev.tributary.api.StripeToIntercom;
import dev.tributary.connector.testkit.RecordedWrite;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /admin/sync-list/scheduled-sync} over a real socket: two enabled tenants' active sync list items
 * of two owners each pushed as the system, Stripe customers to Intercom contacts, and the answer summed up by
 * tenant and owner — with the item Intercom refuses as a duplicate among the errors. A disabled tenant's and an
 * inactive item are left alone; only the operator's key may ask, and a bad body is refused queueing nothing.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduledSyncApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-scheduled-sync-001";
    private static final String PATH = "/admin/sync-list/scheduled-sync";

    @Inject
    EmbeddedServer server;
    @Inject
    SyncListItems items;
    @Inject
    TenantScope scope;

    private TestDatabase database;
    private final StripeToIntercom fakes = new StripeToIntercom();
    private String[] acme;
    private SyncListItem carolItem;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return fakes.on(ServiceSettings.of(database, ADMIN_KEY).unlimitedRates()
                .with("tributary.scheduler.idle-wait", "1s")
                // Below the probe's 30 s request timeout: a round that does not end answers incomplete instead.
                .with("tributary.sync-list.scheduled-sync-wait", "20s")).properties();
    }

    @BeforeAll
    void tenantsAppsAndItems() {
        String ann = fakes.customer("Ann", "ann@example.com");
        String carol = fakes.customer("Carol", "carol@example.com");
        String dave = fakes.customer("Dave", "dave@example.com");
        String erin = fakes.customer("Erin", "erin@example.com");
        String fred = fakes.customer("Fred", "fred@example.com");
        String gina = fakes.customer("Gina", "gina@example.com");
        String hal = fakes.customer("Hal", "hal@example.com");
        acme = tenantWithCustomers("acme");
        tenantWithCustomers("beta");
        tenantWithCustomers("gamma");
        http().createTenant(ADMIN_KEY, "initech"); // no items: not a tenant of the round

        StripeToIntercom.list(scope, items, new TenantId("acme"), "key:alice", ann, true);
        carolItem = StripeToIntercom.list(scope, items, new TenantId("acme"), "key:alice", carol, true);
        StripeToIntercom.list(scope, items, new TenantId("acme"), "key:bob", dave, true);
        StripeToIntercom.list(scope, items, new TenantId("acme"), "key:bob", hal, false);
        StripeToIntercom.list(scope, items, new TenantId("beta"), "jwt:carl", erin, true);
        StripeToIntercom.list(scope, items, new TenantId("beta"), "key:dana", fred, true);
        StripeToIntercom.list(scope, items, new TenantId("gamma"), "key:gus", gina, true);
        var disabled = admin("POST", "/admin/tenants/gamma/disable", null);
        assertEquals(200, disabled.statusCode(), disabled.body());
        // Carol's email is taken at Intercom: her contact cannot be created.
        fakes.intercom.create("contact", Map.of("role", "user", "email", "carol@example.com"));
    }

    /** A tenant with a sync:admin key, the two apps and the Stripe customers pulled; returns the key's headers. */
    private String[] tenantWithCustomers(String tenant) {
        String[] auth = http().tenantWithKey(ADMIN_KEY, tenant, "sync:admin");
        fakes.createApps(http(), auth);
        fakes.pullCustomers(http(), auth[1].substring("Bearer ".length()), tenant);
        return auth;
    }

    @AfterAll
    void stop() {
        fakes.close();
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return http().send(method, path, body, "Authorization", "Bearer " + ADMIN_KEY, "Content-Type",
                "application/json");
    }

    private static long number(Map<?, ?> map, String member) {
        return ((Number) map.get(member)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Map<String, Object> round) {
        return (List<Map<String, Object>>) round.get("results");
    }

    private static Map<String, Object> result(Map<String, Object> round, String tenant, String owner) {
        return results(round).stream().filter(r -> tenant.equals(r.get("tenant_id")) && owner.equals(r.get("owner")))
                .findFirst().orElseThrow(() -> new AssertionError(tenant + "/" + owner + " not in " + round));
    }

    /** processed, succeeded, failed. */
    private static List<Long> counts(Map<String, Object> result) {
        return List.of(number(result, "items_processed"), number(result, "items_succeeded"),
                number(result, "items_failed"));
    }

    private long pushRuns() throws Exception {
        return database.queryLong("SELECT count(*) FROM tributary.sync_runs WHERE kind = 'push'");
    }

    private Set<Object> emailsWrittenToIntercom() {
        return fakes.intercom.writes().stream().filter(write -> write.id() != null).map(RecordedWrite::body)
                .map(body -> body.get("email")).collect(Collectors.toSet());
    }

    @Test
    void everyEnabledTenantsActiveItemsArePushedAsTheSystemAndSummedUpByTenantAndOwner() throws Exception {
        var response = admin("POST", PATH, "{\"wait_seconds\": 25}");
        assertEquals(200, response.statusCode(), response.body());
        var round = HttpProbe.json(response);
        assertEquals(true, round.get("complete"), round.toString());
        assertEquals(List.of(2L, 5L, 5L, 4L, 1L), List.of(number(round, "total_tenants"), number(round, "total_items"),
                number(round, "items_processed"), number(round, "items_succeeded"), number(round, "items_failed")),
                round.toString());
        assertTrue(number(round, "duration_ms") >= 0, round.toString());

        assertEquals(List.of("acme/key:alice", "acme/key:bob", "beta/jwt:carl", "beta/key:dana"),
                results(round).stream().map(r -> r.get("tenant_id") + "/" + r.get("owner")).sorted().toList(),
                "one result per tenant and owner; none for the disabled tenant or one without items");
        List<Object> tenantOrder = results(round).stream().map(r -> r.get("tenant_id")).toList();
        assertEquals(2, tenantOrder.stream().distinct().count());
        assertEquals(tenantOrder.get(0), tenantOrder.get(1), "grouped by tenant: " + tenantOrder);
        for (String tenant : List.of("acme", "beta")) {
            List<Object> owners = results(round).stream().filter(r -> tenant.equals(r.get("tenant_id")))
                    .map(r -> r.get("owner")).toList();
            assertEquals(owners.stream().sorted().toList(), owners, "then by owner");
        }

        var alice = result(round, "acme", "key:alice");
        assertEquals(List.of(2L, 1L, 1L), counts(alice));
        assertEquals(1, ((List<?>) alice.get("sync_ids")).size(), "one run per target app");
        List<?> errors = (List<?>) alice.get("errors");
        assertEquals(1, errors.size(), errors.toString());
        String error = (String) errors.get(0);
        assertTrue(error.startsWith(carolItem.id() + ": ") && error.contains("409"), error);
        for (String[] owner : new String[][]{{"acme", "key:bob"}, {"beta", "jwt:carl"}, {"beta", "key:dana"}}) {
            var fine = result(round, owner[0], owner[1]);
            assertEquals(List.of(1L, 1L, 0L), counts(fine), fine.toString());
            assertEquals(List.of(), fine.get("errors"));
            assertEquals(1, ((List<?>) fine.get("sync_ids")).size());
        }

        assertEquals(Set.of("ann@example.com", "dave@example.com", "erin@example.com", "fred@example.com"),
                emailsWrittenToIntercom(), "not Gina (a disabled tenant's) nor Hal (an inactive item)");
        assertEquals("pending", database.queryText("SELECT last_sync_status FROM tributary.sync_list_items"
                + " WHERE tenant_id = 'gamma'"));
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.sync_runs WHERE tenant_id = 'gamma'"
                + " AND kind = 'push'"));
        assertEquals("failed", database.queryText("SELECT last_sync_status FROM tributary.sync_list_items"
                + " WHERE id = '" + carolItem.id() + "'"));

        String aliceRun = (String) ((List<?>) alice.get("sync_ids")).get(0);
        var run = HttpProbe.json(http().get("/api/sync/status/" + aliceRun, acme));
        assertEquals(List.of("push", "support", "delta", "schedule", "completed_with_errors"), List.of(run.get("kind"),
                run.get("app_key"), run.get("mode"), run.get("trigger"), run.get("status")), run.toString());
        var history = HttpProbe.json(http().get("/api/sync/history?sync_type=scheduled", acme));
        assertEquals(2, number(history, "total"), "each owner's run in the tenant's history: " + history);

        int written = fakes.intercom.writes().size();
        var again = admin("POST", PATH, null);
        assertEquals(200, again.statusCode(), again.body());
        var second = HttpProbe.json(again);
        assertEquals(List.of(true, 2L, 5L, 5L, 4L, 1L), List.of(second.get("complete"),
                number(second, "total_tenants"), number(second, "total_items"), number(second, "items_processed"),
                number(second, "items_succeeded"), number(second, "items_failed")),
                "no body: the configured wait; the unchanged items succeed, Carol fails again: " + second);
        assertEquals(written, fakes.intercom.writes().size(), "a delta round sends nothing unchanged");
    }

    @Test
    void onlyTheOperatorsKeyMayRunItAndABadBodyIsRefusedQueueingNothing() throws Exception {
        long before = pushRuns();
        String tenantAdmin = acme[1].substring("Bearer ".length());
        for (var refused : List.of(http().send("POST", PATH, "{}"),
                http().send("POST", PATH, "{}", "Authorization", "Bearer not-the-admin-key"),
                http().send("POST", PATH, "{}", "Authorization", "Bearer " + tenantAdmin),
                http().send("POST", PATH, "{}", "Authorization", "Bearer " + tenantAdmin, "X-Tenant-ID", "acme"))) {
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("unauthorized", HttpProbe.json(refused).get("code"));
        }
        for (String[] bad : new String[][]{{"{\"wait_seconds\": 601}", "wait_seconds"},
                {"{\"wait_seconds\": -1}", "wait_seconds"}, {"{\"wait_seconds\": \"ten\"}", "wait_seconds"},
                {"{\"wait_seconds\": 1.5}", "wait_seconds"}, {"{\"wait\": 5}", "wait"}}) {
            var refused = admin("POST", PATH, bad[0]);
            assertEquals(400, refused.statusCode(), bad[0] + ": " + refused.body());
            var errors = (List<?>) HttpProbe.json(refused).get("errors");
            assertTrue(errors != null && errors.stream().anyMatch(e -> bad[1].equals(((Map<?, ?>) e).get("field"))),
                    bad[0] + ": " + refused.body());
        }
        var malformed = admin("POST", PATH, "{\"wait_seconds\": ");
        assertEquals(400, malformed.statusCode());
        assertEquals("malformed_json", HttpProbe.json(malformed).get("code"));
        assertEquals(before, pushRuns(), "nothing refused queued a push");
    }
}
