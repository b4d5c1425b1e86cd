package dev.tributary.api.connector;

import dev.tributary.api.HttpProbe;
import dev.tributary.api.ServiceSettings;
import dev.tributary.connector.testkit.FakeStripe;
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

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Stripe connector end to end, over real sockets: syncs through the API against the
 * fake Stripe, the readable views, and webhooks delivered to /webhooks/{tenant}/{app}.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StripeApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-stripe-tests-00001";
    static final String API_KEY = "sk_test_tributary";
    static final String SECRET = "whsec_tributary";

    @Inject
    EmbeddedServer server;

    private TestDatabase database;
    private final FakeStripe stripe = FakeStripe.start(API_KEY);
    private String admin;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return ServiceSettings.of(database, ADMIN_KEY)
                .with("tributary.connectors.stripe.api-base", stripe.baseUri().toString())
                .with("tributary.connectors.stripe.max-network-retries", "0")
                .with("tributary.rate-limit.sync-triggers-per-minute", "1000")
                .with("tributary.scheduler.idle-wait", "1s")
                .properties();
    }

    @BeforeAll
    void tenantAndApps() {
        http().createTenant(ADMIN_KEY, "acme");
        admin = http().createApiKey(ADMIN_KEY, "acme", "sync:admin");
        assertEquals(201, createApp("billing", "{\"log_webhook_payloads\": true}").statusCode());
        assertEquals(201, createApp("customers-only", "{\"collections\": [\"stripe_customer\"]}").statusCode());
        assertEquals(201, createApp("ledger", "{}").statusCode());
    }

    @AfterAll
    void stop() {
        stripe.close();
    }

    private HttpResponse<String> createApp(String appKey, String config) {
        return call("POST", "/api/apps", "{\"app_key\": \"" + appKey + "\", \"connector\": \"stripe\", \"name\": \"Billing\","
                + " \"config\": " + config + ", \"credentials\": {\"api_key\": \"" + API_KEY + "\", \"webhook_secret\": \""
                + SECRET + "\"}}");
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private HttpResponse<String> call(String method, String path, String body) {
        return http().send(method, path, body, "Authorization", "Bearer " + admin, "X-Tenant-ID", "acme",
                "Content-Type", "application/json");
    }

    private Map<String, Object> sync(String appKey, String collection, String mode) {
        return http().syncToCompletion(admin, "acme", "{\"app_key\": \"" + appKey + "\", \"collection\": \""
                + collection + "\", \"mode\": \"" + mode + "\"}");
    }

    private static long count(Map<String, Object> run, String outcome) {
        return ((Number) ((Map<?, ?>) run.get("records")).get(outcome)).longValue();
    }

    private URI endpoint(String tenant, String appKey) {
        return server.getURI().resolve("/webhooks/" + tenant + "/" + appKey);
    }

    private String email(String appKey, String id) throws Exception {
        return database.queryText("SELECT email FROM stripe.customers WHERE tenant_id = 'acme' AND app_key = '"
                + appKey + "' AND id = '" + id + "'");
    }

    @Test
    void fullThenIncrementalSyncsKeepAnExactCopyWithDeletionsAndArchives() throws Exception {
        String product = stripe.create("products", Map.of("name", "Pro", "active", true));
        String keep = stripe.create("customers", Map.of("email", "keep@example.com", "name", "Keep"));
        String drop = stripe.create("customers", Map.of("email", "drop@example.com", "name", "Drop"));
        String subscription = stripe.createSubscription(keep, List.of("price_1"));
        assertTrue(count(sync("ledger", "stripe_customer", "full"), "new") >= 2, "the account's customers");
        sync("ledger", "stripe_product", "full");
        sync("ledger", "stripe_subscription", "full");
        assertEquals("Keep", database.queryText("SELECT name FROM stripe.customers WHERE app_key = 'ledger' AND id = '" + keep + "'"));

        stripe.update("customers", keep, Map.of("email", "kept@example.com"));
        stripe.delete("customers", drop);
        stripe.update("products", product, Map.of("active", false));
        stripe.cancelSubscription(subscription);
        var incremental = sync("ledger", "stripe_customer", "incremental");
        assertTrue(count(incremental, "updated") >= 1);
        assertEquals(1, count(incremental, "deleted"));
        assertTrue(stripe.requests().stream().anyMatch(r -> r.startsWith("GET /v1/events?")));
        assertEquals("kept@example.com", email("ledger", keep));
        assertEquals(0, database.queryLong("SELECT count(*) FROM stripe.customers WHERE app_key = 'ledger' AND id = '" + drop + "'"));
        assertEquals(1, count(sync("ledger", "stripe_product", "incremental"), "archived"));
        sync("ledger", "stripe_subscription", "incremental");
        assertEquals(1, database.queryLong("SELECT count(*) FROM stripe.products WHERE app_key = 'ledger' AND id = '" + product
                + "' AND archived_at IS NOT NULL AND active = false"));
        assertEquals("canceled", database.queryText("SELECT status FROM stripe.subscriptions WHERE app_key = 'ledger' AND id = '"
                + subscription + "' AND archived_at IS NOT NULL"));

        stripe.create("customers", Map.of("email", "other1@example.com"));
        stripe.create("customers", Map.of("email", "other2@example.com"));
        stripe.delete("customers", keep);
        assertEquals(1, count(sync("ledger", "stripe_customer", "full"), "deleted"),
                "a full sync removes what Stripe no longer lists");
        assertEquals(0, database.queryLong("SELECT count(*) FROM stripe.customers WHERE app_key = 'ledger' AND id = '"
                + keep + "'"));
    }

    @Test
    void anIncrementalSyncBeyondStripesThirtyDaysOfEventsRunsFullAndSaysSo() throws Exception {
        stripe.create("coupons", Map.of("name", "10% off", "percent_off", 10, "valid", true));
        sync("billing", "stripe_coupon", "full");
        database.execute("UPDATE tributary.sync_state SET last_synced_at = now() - interval '31 days'"
                + " WHERE tenant_id = 'acme' AND app_key = 'billing' AND collection_key = 'stripe_coupon'");
        var run = sync("billing", "stripe_coupon", "incremental");
        var detail = HttpProbe.json(call("GET", "/api/sync/status/" + run.get("sync_id"), null));
        assertTrue(String.valueOf(detail.get("notes")).contains("ran a full sync instead of an incremental one"),
                detail.toString());
        assertTrue(String.valueOf(detail.get("notes")).contains("30 days"), detail.toString());
        assertEquals(1, count(run, "unchanged"));
    }

    @Test
    void aVerifiedWebhookIsAppliedOnceAndAReplayIsAcknowledged() throws Exception {
        String customer = stripe.create("customers", Map.of("email", "hook@example.com"));
        String event = stripe.lastEventId();
        var first = stripe.sendWebhook(endpoint("acme", "billing"), event, SECRET);
        assertEquals(200, first.status(), first.body());
        assertEquals("processed", HttpProbe.json(first.body()).get("status"));
        assertEquals("hook@example.com", email("billing", customer));
        var replay = stripe.sendWebhook(endpoint("acme", "billing"), event, SECRET);
        assertEquals(200, replay.status());
        assertEquals("duplicate", HttpProbe.json(replay.body()).get("status"));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.webhook_events WHERE event_id = '"
                + event + "' AND status = 'processed' AND payload->>'id' = '" + event + "'"),
                "recorded once, with its payload (this app logs payloads)");

        stripe.delete("customers", customer);
        assertEquals(200, stripe.sendWebhook(endpoint("acme", "billing"), stripe.lastEventId(), SECRET).status());
        assertEquals(0, database.queryLong("SELECT count(*) FROM stripe.customers WHERE app_key = 'billing' AND id = '" + customer + "'"));
    }

    @Test
    void theSameEventDeliveredConcurrentlyIsAppliedOnce() throws Exception {
        stripe.create("customers", Map.of("email", "race@example.com"));
        String event = stripe.lastEventId();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    var delivery = stripe.sendWebhook(endpoint("acme", "billing"), event, SECRET);
                    assertEquals(200, delivery.status(), delivery.body());
                    return (String) HttpProbe.json(delivery.body()).get("status");
                }));
            }
            List<String> statuses = new java.util.ArrayList<>();
            for (var answer : answers) {
                statuses.add(answer.get());
            }
            assertEquals(1, statuses.stream().filter("processed"::equals).count(), statuses.toString());
            assertEquals(7, statuses.stream().filter("duplicate"::equals).count(), statuses.toString());
        } finally {
            pool.shutdown();
        }
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.webhook_events WHERE event_id = '"
                + event + "'"));
    }

    @Test
    void theCatalogListsStripeWithWebhooksAndIncrementalSyncs() {
        String catalog = call("GET", "/api/connectors", null).body();
        assertTrue(catalog.contains("\"provider\":\"stripe\""), catalog);
        assertTrue(catalog.contains("\"collection_key\":\"stripe_subscription_item\""), catalog);
        assertTrue(catalog.contains("\"provider\":\"intercom\""), catalog);
    }

    @Test
    void anOlderEventNeverOverwritesNewerData() throws Exception {
        stripe.clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)));
        String customer = stripe.create("customers", Map.of("email", "v1@example.com"));
        stripe.update("customers", customer, Map.of("email", "v2@example.com"));
        String older = stripe.lastEventId();
        stripe.clock(Clock.systemUTC());
        stripe.update("customers", customer, Map.of("email", "v3@example.com"));
        String newer = stripe.lastEventId();
        assertEquals(200, stripe.sendWebhook(endpoint("acme", "billing"), newer, SECRET).status());
        var late = stripe.sendWebhook(endpoint("acme", "billing"), older, SECRET);
        assertEquals(200, late.status(), "acknowledged, so Stripe stops retrying");
        assertEquals("v3@example.com", email("billing", customer));
    }

    @Test
    void signaturesAreCheckedAndEveryRefusalIsGeneric() throws Exception {
        stripe.create("customers", Map.of("email", "sig@example.com"));
        String event = stripe.lastEventId();
        String payload = stripe.eventJson(event);
        long now = Instant.now().getEpochSecond();
        URI billing = endpoint("acme", "billing");
        double failuresBefore = verificationFailures();

        var tampered = stripe.sendRaw(billing, payload.replace("sig@", "evil@"), FakeStripe.signature(payload, now, SECRET));
        assertEquals(400, tampered.status());
        var problem = HttpProbe.json(tampered.body());
        assertEquals("invalid_signature", problem.get("code"));
        assertEquals("The webhook signature is not valid", problem.get("detail"), "the reason is not told");
        assertEquals(400, stripe.sendRaw(billing, payload, FakeStripe.signature(payload, now - 301, SECRET)).status(),
                "older than the 5-minute tolerance");
        assertEquals(400, stripe.sendRaw(billing, payload, FakeStripe.signature(payload, now, "whsec_wrong")).status());
        assertEquals(400, stripe.sendRaw(billing, payload, null).status(), "no signature at all");
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.webhook_events WHERE event_id = '" + event + "'"),
                "a refused delivery changes nothing");
        assertEquals(failuresBefore + 4, verificationFailures());

        var rotated = stripe.sendRaw(billing, payload, FakeStripe.signature(payload, now, "whsec_previous", SECRET));
        assertEquals(200, rotated.status(), "several v1 signatures: one valid is enough");
    }

    private double verificationFailures() {
        return http().get("/prometheus").body().lines()
                .filter(l -> l.startsWith("tributary_webhook_verification_failures_total{") && l.contains("provider=\"stripe\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void unknownTenantsAndAppsAreNotFoundAndOversizedBodiesAreRefused() {
        stripe.create("customers", Map.of("email", "x@example.com"));
        String event = stripe.lastEventId();
        assertEquals(404, stripe.sendWebhook(endpoint("nobody", "billing"), event, SECRET).status());
        assertEquals(404, stripe.sendWebhook(endpoint("acme", "nothing"), event, SECRET).status());
        var malformed = stripe.sendWebhook(endpoint("acme", "bad%20key"), event, SECRET);
        assertEquals(400, malformed.status(), malformed.body());
        String huge = "{\"id\": \"evt_big\", \"pad\": \"" + "x".repeat(1_100_000) + "\"}";
        var oversized = stripe.sendRaw(endpoint("acme", "billing"), huge, FakeStripe.signature(huge,
                Instant.now().getEpochSecond(), SECRET));
        assertEquals(413, oversized.status());
    }

    @Test
    void eventsOfCollectionsTheAppDoesNotSyncAreAcknowledgedAndIgnored() throws Exception {
        stripe.create("products", Map.of("name", "Ignored", "active", true));
        String event = stripe.lastEventId();
        var delivery = stripe.sendWebhook(endpoint("acme", "customers-only"), event, SECRET);
        assertEquals(200, delivery.status(), delivery.body());
        assertEquals("ignored", HttpProbe.json(delivery.body()).get("status"));
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'customers-only'"));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.webhook_events WHERE app_key = 'customers-only'"
                + " AND event_id = '" + event + "' AND status = 'ignored' AND payload IS NULL"));
    }
}
