package dev.tributary.api.synclist;

import dev.tributary.api.HttpProbe;
import dev.tributary.api.StripeToIntercom;
import dev.tributary.api.ServiceSettings;
import dev.tributary.connector.testkit.FakeIntercom;
import dev.tributary.connector.testkit.FakeStripe;
import dev.tributary.connector.testkit.RecordedWrite;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 004's whole journey over HTTP, as the README tells it: Stripe customers (the fake, pulled into
 * entities) kept in step with Intercom contacts (the fake, as destination) through a saved filter and the sync
 * list — preview, add every match, a delta push that creates, one that skips what did not change, an update
 * after the source changed, a full item pushed every time, a failing item (Intercom's 409 for an email that
 * another contact has) that leaves the rest pushed and, once fixed, is retried alone, and the history showing
 * each push with its counts.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncListJourneyTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-sync-list-journey-1";

    @Inject
    EmbeddedServer server;

    private final StripeToIntercom apps = new StripeToIntercom();
    private final FakeStripe stripe = apps.stripe;
    private final FakeIntercom intercom = apps.intercom;
    private TestDatabase database;
    private String aliceKey;
    private String[] alice;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return apps.on(ServiceSettings.of(database, ADMIN_KEY))
                .with("tributary.rate-limit.sync-triggers-per-minute", "1000")
                .with("tributary.scheduler.idle-wait", "1s")
                .properties();
    }

    @BeforeAll
    void tenantAndApps() {
        http().createTenant(ADMIN_KEY, "acme");
        String[] admin = HttpProbe.asTenant(http().createApiKey(ADMIN_KEY, "acme", "sync:admin"), "acme");
        aliceKey = http().createApiKey(ADMIN_KEY, "acme", "sync:write");
        alice = HttpProbe.asTenant(aliceKey, "acme");
        apps.createApps(http(), admin);
    }

    @AfterAll
    void stop() {
        apps.close();
    }

    @Test
    void aSavedFilterKeepsIntercomContactsInStepWithStripeCustomers() {
        String ann = stripe.create("customers", Map.of("name", "Ann", "email", "ann@example.com",
                "metadata", Map.of("plan", "pro")));
        String bob = stripe.create("customers", Map.of("name", "Bob", "email", "bob@example.com",
                "metadata", Map.of("plan", "team")));
        String cid = stripe.create("customers", Map.of("name", "Cid", "email", "cid@example.com",
                "metadata", Map.of("plan", "free")));
        // Someone made the contact for Bob's address in Intercom by hand: creating it again is refused (409).
        String handMade = intercom.create("contact", Map.of("role", "user", "email", "bob@example.com",
                "name", "Bob (by hand)"));
        apps.pullCustomers(http(), aliceKey, "acme");

        // A saved filter over the synced customers, previewed as the records API pages.
        var filter = call("POST", "/api/saved-filters", "{\"name\": \"Paying customers\","
                + " \"source_app_key\": \"billing\", \"collection\": \"stripe_customer\", \"target_app_key\": \"support\","
                + " \"filter_config\": {\"predicates\": [{\"pointer\": \"/metadata/plan\", \"in\": [\"pro\", \"team\"]}]}}");
        assertEquals(201, filter.statusCode(), filter.body());
        String filterId = (String) HttpProbe.json(filter).get("id");
        var matches = HttpProbe.json(call("GET", "/api/saved-filters/" + filterId + "/matches", null));
        assertEquals(List.of(ann, bob), externalIds(matches), "Cid's free plan is not matched");

        // Add to Sync List: every match, delta by default.
        var added = call("POST", "/api/sync-list", "{\"saved_filter_id\": \"" + filterId + "\"}");
        assertEquals(201, added.statusCode(), added.body());
        assertEquals(2, ((Number) HttpProbe.json(added).get("added")).intValue());
        String annItem = itemOf(ann);
        String bobItem = itemOf(bob);
        assertEquals("delta", item(annItem).get("sync_mode"));
        assertEquals("pending", item(annItem).get("last_sync_status"));

        // First delta push: Ann is created, Bob fails alone and the run says why.
        var first = push("{}");
        assertEquals("completed_with_errors", first.get("status"), first.toString());
        assertEquals(2, count(first, "items_processed"));
        assertEquals(1, count(first, "items_created"));
        assertEquals(1, count(first, "items_failed"));
        var errors = (List<Map<String, Object>>) first.get("errors");
        assertEquals(bobItem, errors.get(0).get("item_id"));
        assertTrue(((String) errors.get(0).get("error")).contains("already exists"), errors.toString());
        Map<String, Object> annNow = item(annItem);
        assertEquals("success", annNow.get("last_sync_status"));
        String annContact = (String) annNow.get("target_id");
        assertNotNull(annContact);
        assertEquals("ann@example.com", intercom.object("contact", annContact).get("email"));
        assertEquals("failed", item(bobItem).get("last_sync_status"));
        assertTrue(((String) item(bobItem).get("error_message")).contains("already exists"));
        assertEquals(List.of(bobItem), ids(list("?status=failed")));

        // Nothing changed: a delta push writes nothing for Ann.
        int writes = intercom.writes().size();
        var second = push("{\"sync_list_ids\": [\"" + annItem + "\"]}");
        assertEquals("completed", second.get("status"), second.toString());
        assertEquals(1, count(second, "items_unchanged"));
        assertEquals(writes, intercom.writes().size(), "an unchanged delta item is not pushed");

        // Ann changes at the source: the next pull and delta push update her contact by its id.
        stripe.update("customers", ann, Map.of("name", "Ann Smith"));
        apps.pullCustomers(http(), aliceKey, "acme");
        var third = push("{\"sync_list_ids\": [\"" + annItem + "\"]}");
        assertEquals(1, count(third, "items_updated"), third.toString());
        RecordedWrite update = intercom.writes().get(intercom.writes().size() - 1);
        assertEquals("PUT", update.method());
        assertEquals(annContact, update.id());
        assertEquals("Ann Smith", intercom.object("contact", annContact).get("name"));

        // Full mode pushes Ann every time, changed or not.
        assertEquals(200, call("PATCH", "/api/sync-list/" + annItem, "{\"sync_mode\": \"full\"}").statusCode());
        var fourth = push("{\"sync_list_ids\": [\"" + annItem + "\"]}");
        assertEquals(1, count(fourth, "items_updated"), fourth.toString());

        // The hand-made contact is removed; Bob's item alone is retried and now created.
        intercom.delete("contact", handMade);
        var retry = push("{\"sync_list_ids\": [\"" + bobItem + "\"]}");
        assertEquals("completed", retry.get("status"), retry.toString());
        assertEquals(1, count(retry, "items_processed"));
        assertEquals(1, count(retry, "items_created"));
        assertEquals("success", item(bobItem).get("last_sync_status"));
        assertEquals(null, item(bobItem).get("error_message"));

        // One history for pulls and pushes: the five pushes, newest first, the first a partial success.
        var history = HttpProbe.json(call("GET", "/api/sync/history?kind=push&limit=100", null));
        var pushes = (List<Map<String, Object>>) history.get("items");
        assertEquals(5, pushes.size(), history.toString());
        assertEquals("partial_success", pushes.get(4).get("status"));
        assertEquals("delta", pushes.get(4).get("sync_type"));
        assertEquals(1, count(pushes.get(4), "items_failed"));
        var partial = HttpProbe.json(call("GET", "/api/sync/history?status=partial_success", null));
        assertEquals(1, ((List<?>) partial.get("items")).size());
    }

    private Map<String, Object> push(String body) {
        var response = call("POST", "/api/sync-list/delta-sync", body);
        assertEquals(202, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        Map<String, Object>[] run = new Map[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = HttpProbe.json(call("GET", location, null));
            return List.of("completed", "completed_with_errors", "failed", "dead_lettered").contains(run[0].get("status"));
        });
        return run[0];
    }

    private String itemOf(String sourceId) {
        var page = list("?collection=stripe_customer&limit=100");
        return ((List<Map<String, Object>>) page.get("items")).stream()
                .filter(item -> sourceId.equals(item.get("source_id"))).map(item -> (String) item.get("id"))
                .findFirst().orElseThrow();
    }

    private Map<String, Object> item(String id) {
        var response = call("GET", "/api/sync-list/" + id, null);
        assertEquals(200, response.statusCode(), response.body());
        return HttpProbe.json(response);
    }

    private Map<String, Object> list(String query) {
        var response = call("GET", "/api/sync-list" + query, null);
        assertEquals(200, response.statusCode(), response.body());
        return HttpProbe.json(response);
    }

    private static List<Object> ids(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("items")).stream().map(item -> item.get("id")).toList();
    }

    private static List<Object> externalIds(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("items")).stream().map(item -> item.get("external_id")).toList();
    }

    private static int count(Map<String, Object> run, String member) {
        return ((Number) run.get(member)).intValue();
    }

    private HttpResponse<String> call(String method, String path, String body) {
        return http().send(method, path, body, alice);
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }
}
