package dev.tributary.scheduler.webhook;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.testkit.FakeStripe;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.scheduler.NodeSettings;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.scheduler.app.AppDefinition;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A provider's webhook call from signature to entities (Stripe's connector), on a real PostgreSQL. */
class WebhookIngestTest {

    private static final String SECRET = "whsec_ingest";

    private final TestDatabase database = TestPostgres.freshDatabase();
    private final TenantId acme = new TenantId("acme");
    private ApplicationContext context;
    private WebhookIngest ingest;

    @BeforeEach
    void start() throws Exception {
        context = ApplicationContext.run(NodeSettings.on(database));
        ingest = context.getBean(WebhookIngest.class);
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex')");
        Apps apps = context.getBean(Apps.class);
        apps.create(acme, billing("billing", Map.of("log_webhook_payloads", true)));
        apps.create(acme, billing("customers-only", Map.of("collections", List.of("stripe_customer"))));
    }

    @AfterEach
    void stop() {
        context.close();
    }

    private static AppDefinition billing(String appKey, Map<String, Object> config) {
        return new AppDefinition(appKey, "stripe", "Billing", config,
                Map.of("api_key", "sk_test_ingest", "webhook_secret", SECRET), null,
                new AppDefinition.Schedule(null, null, "incremental", false), 3, AlertTarget.NONE);
    }

    /** A Stripe event about one object, created at {@code created} (unix seconds). */
    private static String event(String id, String type, long created, String object) {
        return "{\"id\": \"" + id + "\", \"object\": \"event\", \"type\": \"" + type + "\", \"created\": " + created
                + ", \"data\": {\"object\": " + object + "}}";
    }

    private static String customer(String id, String email) {
        return "{\"id\": \"" + id + "\", \"object\": \"customer\", \"created\": 1700000000, \"email\": \"" + email + "\"}";
    }

    private static WebhookRequest signed(String body) {
        return new WebhookRequest(Map.of("stripe-signature", List.of(FakeStripe.signature(body,
                Instant.now().getEpochSecond(), SECRET))), body.getBytes(StandardCharsets.UTF_8));
    }

    private WebhookIngest.Result deliver(String appKey, String body) throws ConnectorException {
        return ingest.ingest(acme, appKey, signed(body)).orElseThrow();
    }

    private String email(String appKey, String id) throws Exception {
        return database.queryText("SELECT raw_payload->>'email' FROM tributary.entities WHERE app_key = '" + appKey
                + "' AND collection_key = 'stripe_customer' AND external_id = '" + id + "'");
    }

    @Test
    void aSignedEventIsAppliedAndRecordedOnceAndAReplayChangesNothing() throws Exception {
        long now = Instant.now().getEpochSecond();
        String created = event("evt_1", "customer.created", now, customer("cus_1", "hook@example.com"));
        assertEquals(new WebhookIngest.Result("evt_1", WebhookIngest.Outcome.PROCESSED), deliver("billing", created));
        assertEquals("hook@example.com", email("billing", "cus_1"));
        assertEquals(new WebhookIngest.Result("evt_1", WebhookIngest.Outcome.DUPLICATE), deliver("billing", created));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.webhook_events WHERE event_id = 'evt_1'"
                + " AND status = 'processed' AND payload->>'id' = 'evt_1'"), "once, with its payload (this app logs them)");

        deliver("billing", event("evt_2", "customer.deleted", now + 1, customer("cus_1", "hook@example.com")));
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'billing'"));
    }

    @Test
    void anOlderEventNeverOverwritesNewerData() throws Exception {
        long now = Instant.now().getEpochSecond();
        deliver("billing", event("evt_new", "customer.updated", now, customer("cus_2", "v3@example.com")));
        assertEquals(WebhookIngest.Outcome.PROCESSED,
                deliver("billing", event("evt_old", "customer.updated", now - 60, customer("cus_2", "v2@example.com")))
                        .outcome());
        assertEquals("v3@example.com", email("billing", "cus_2"));
    }

    @Test
    void aSignatureThatDoesNotCheckOutIsRefusedAndChangesNothing() throws Exception {
        String body = event("evt_forged", "customer.created", Instant.now().getEpochSecond(), customer("cus_3", "x@example.com"));
        var forged = new WebhookRequest(Map.of("stripe-signature", List.of(FakeStripe.signature(body,
                Instant.now().getEpochSecond(), "whsec_wrong"))), body.getBytes(StandardCharsets.UTF_8));
        assertThrows(ConnectorException.WebhookVerificationFailed.class, () -> ingest.ingest(acme, "billing", forged));
        assertThrows(ConnectorException.WebhookVerificationFailed.class, () -> ingest.ingest(acme, "billing",
                new WebhookRequest(Map.of(), body.getBytes(StandardCharsets.UTF_8))), "no signature at all");
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.webhook_events"));
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.entities"));
    }

    @Test
    void aCallForAnAppTheTenantDoesNotHaveFindsNoApp() throws Exception {
        String body = event("evt_4", "customer.created", Instant.now().getEpochSecond(), customer("cus_4", "x@example.com"));
        assertTrue(ingest.ingest(acme, "nothing", signed(body)).isEmpty());
        assertTrue(ingest.ingest(new TenantId("globex"), "billing", signed(body)).isEmpty(), "another tenant's app");
        assertTrue(ingest.ingest(acme, "bad\u0000key", signed(body)).isEmpty());
        context.getBean(Apps.class).delete(acme, "billing");
        assertTrue(ingest.ingest(acme, "billing", signed(body)).isEmpty(), "a deleted app");
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.webhook_events"));
    }

    @Test
    void eventsOfCollectionsTheAppDoesNotSyncAreRecordedAsIgnored() throws Exception {
        String product = event("evt_5", "product.created", Instant.now().getEpochSecond(),
                "{\"id\": \"prod_1\", \"object\": \"product\", \"created\": 1700000000, \"name\": \"Ignored\", \"active\": true}");
        assertEquals(WebhookIngest.Outcome.IGNORED, deliver("customers-only", product).outcome());
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.entities"));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.webhook_events WHERE app_key = 'customers-only'"
                + " AND event_id = 'evt_5' AND status = 'ignored' AND payload IS NULL"), "this app logs no payloads");
    }

    @Test
    void aSignedEventTheConnectorCannotReadIsRecordedFailedUnderTheDigestOfItsBody() throws Exception {
        String body = "not JSON at all";
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(new WebhookIngest.Result(digest, WebhookIngest.Outcome.FAILED), deliver("billing", body));
        assertEquals(new WebhookIngest.Result(digest, WebhookIngest.Outcome.DUPLICATE), deliver("billing", body));
        assertEquals("failed", database.queryText("SELECT status FROM tributary.webhook_events WHERE event_id = '"
                + digest + "'"));
    }

    @Test
    void aSignedEventWithAValueTheDatabaseRefusesIsRecordedFailedAndNothingOfItIsApplied() throws Exception {
        // An id past what a B-tree entry holds even compressed (SQLSTATE 54000): the value is at fault, not the database.
        byte[] noise = new byte[10_000];
        new Random(15).nextBytes(noise);
        String huge = event("evt_huge", "customer.created", Instant.now().getEpochSecond(),
                customer("cus_" + HexFormat.of().formatHex(noise), "huge@example.com"));
        assertEquals(new WebhookIngest.Result("evt_huge", WebhookIngest.Outcome.FAILED), deliver("billing", huge));
        assertEquals(new WebhookIngest.Result("evt_huge", WebhookIngest.Outcome.DUPLICATE), deliver("billing", huge));
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.entities"));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.webhook_events WHERE event_id = 'evt_huge'"
                + " AND status = 'failed' AND payload IS NULL"));
    }
}
