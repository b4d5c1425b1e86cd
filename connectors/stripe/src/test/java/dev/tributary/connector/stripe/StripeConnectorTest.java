package dev.tributary.connector.stripe;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.testkit.ConnectorContract;
import dev.tributary.connector.testkit.SettableClock;
import dev.tributary.connector.testkit.FakeStripe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StripeConnectorTest {

    private static final String KEY = "sk_test_fake";
    private static final String SECRET = "whsec_test";

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-20T12:00:00Z"));
    private final FakeStripe stripe = (FakeStripe) FakeStripe.start(KEY).clock(clock);
    private final StripeConnector connector = connector(0);
    private final AppContext app = new AppContext("acme", "billing", Map.of(),
            Map.of("api_key", KEY, "webhook_secret", SECRET), null);

    private StripeConnector connector(int sdkRetries) {
        return new StripeConnector(new StripeConfiguration(stripe.baseUri().toString(), sdkRetries, null), clock);
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void fullSyncWalksTheListWithStartingAfterAndResumesFromItsCursor() throws Exception {
        stripe.seedCustomers(250);
        List<String> ids = new ArrayList<>();
        for (var object : allCustomerIds()) {
            ids.add(object);
        }
        var fetched = ConnectorContract.assertFullPaging(connector, app, "stripe_customer", ids, 3);
        assertTrue(fetched.entities().get(0).rawPayload().contains("\"object\":\"customer\""));
        assertEquals(clock.instant(), fetched.entities().get(0).sourceUpdatedAt(), "the time Stripe vouched for the state");
        ConnectorContract.assertResumesFromCursor(connector, app, "stripe_customer");
        assertTrue(stripe.requests().stream().allMatch(r -> r.contains("limit=100")), stripe.requests().toString());
        assertTrue(stripe.requests().stream().anyMatch(r -> r.contains("starting_after=cus_")));
        assertTrue(stripe.requests().stream().noneMatch(r -> r.contains("expand")));
    }

    private List<String> allCustomerIds() {
        return IntStream.rangeClosed(1, 250).mapToObj(i -> "cus_" + String.format("%010d", i)).toList();
    }

    @Test
    void aRateLimitIsRetriableWithExponentialBackoffAndA5xxIsTransient() throws Exception {
        stripe.seedCustomers(150);
        ConnectorContract.assertRateLimitBackoff(connector, app, "stripe_customer", stripe, Duration.ofSeconds(1));
        try (var pages = connector.fetch(app, FetchRequest.full("stripe_customer"))) {
            stripe.rateLimitNext(3, 0);
            assertEquals(Duration.ofSeconds(1), assertThrows(ConnectorException.RateLimited.class, pages::next).retryAfter());
            assertEquals(Duration.ofSeconds(2), assertThrows(ConnectorException.RateLimited.class, pages::next).retryAfter());
            assertEquals(Duration.ofSeconds(4), assertThrows(ConnectorException.RateLimited.class, pages::next).retryAfter());
            assertEquals(100, pages.next().orElseThrow().entities().size());
        }
        ConnectorContract.assertTransientOn5xx(connector, app, "stripe_customer", stripe);
    }

    @Test
    void theSdkRetriesWhatStripeMarksRetriableByItself() throws Exception {
        stripe.seedCustomers(5);
        stripe.failNext(1, 503);
        assertEquals(5, ConnectorContract.fetchAll(connector(2), app, FetchRequest.full("stripe_customer")).ids().size());
    }

    @Test
    void errorsInStripesFormatMapToTheConnectorErrors() {
        var wrongKey = new AppContext("acme", "billing", Map.of(), Map.of("api_key", "sk_test_other"), null);
        assertThrows(ConnectorException.AuthRevoked.class,
                () -> ConnectorContract.fetchAll(connector, wrongKey, FetchRequest.full("stripe_customer")));
        assertThrows(ConnectorException.NotFound.class, () -> connector.fetchById(app, "stripe_customer", "cus_nope"));
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                new AppContext("acme", "billing", Map.of(), Map.of("api_key", "pk_live_x"), null), "credentials.api_key");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                new AppContext("acme", "billing", Map.of("colections", List.of()), Map.of("api_key", KEY), null),
                "colections");
        ConnectorContract.assertConfigErrorIsPermanent(connector, new AppContext("acme", "billing",
                Map.of("collections", List.of("stripe_nothing")), Map.of("api_key", KEY), null), "collections");
        ConnectorContract.assertConfigErrorIsPermanent(connector, new AppContext("acme", "billing",
                Map.of("log_webhook_payloads", "yes"), Map.of("api_key", KEY), null), "log_webhook_payloads");
    }

    @Test
    void inactiveProductsAndPricesAndCanceledSubscriptionsAreArchivedWithTheirItems() throws Exception {
        String active = stripe.create("products", Map.of("name", "Pro", "active", true));
        String retired = stripe.create("products", Map.of("name", "Old", "active", false));
        String price = stripe.create("prices", Map.of("product", active, "active", false, "unit_amount", 900));
        String customer = stripe.create("customers", Map.of("email", "a@example.com"));
        String live = stripe.createSubscription(customer, List.of(price));
        List<String> manyPrices = IntStream.range(0, 12).mapToObj(i -> "price_x" + i).toList();
        String big = stripe.createSubscription(customer, manyPrices);
        clock.set(clock.instant().plusSeconds(60));
        stripe.cancelSubscription(live);

        var products = ConnectorContract.fetchAll(connector, app, FetchRequest.full("stripe_product")).entities();
        assertNull(byId(products, active).archivedAt());
        assertNotNull(byId(products, retired).archivedAt());
        assertNotNull(ConnectorContract.fetchAll(connector, app, FetchRequest.full("stripe_price")).entities().get(0)
                .archivedAt());
        var subscriptions = ConnectorContract.fetchAll(connector, app, FetchRequest.full("stripe_subscription"))
                .entities();
        assertEquals(clock.instant(), byId(subscriptions, live).archivedAt(),
                "canceled subscriptions are listed and archived");
        assertNull(byId(subscriptions, big).archivedAt());
        var items = ConnectorContract.fetchAll(connector, app, FetchRequest.full("stripe_subscription_item")).entities();
        assertEquals(13, items.size(), "12 items of one subscription (it embeds 10: all are listed) and 1 of the other");
        assertEquals(1, items.stream().filter(i -> i.archivedAt() != null).count());
        assertTrue(stripe.requests().stream().anyMatch(r -> r.contains("/v1/subscriptions?status=all")));
        assertTrue(stripe.requests().stream().anyMatch(r -> r.contains("/v1/subscription_items?subscription=" + big)));
    }

    @Test
    void incrementalReadsEventsSinceTheLastSyncNewestStateWinsAndDeletionsAreRemovals() throws Exception {
        String kept = stripe.create("customers", Map.of("email", "old@example.com"));
        String gone = stripe.create("customers", Map.of("email", "gone@example.com"));
        String untouched = stripe.create("customers", Map.of("email", "same@example.com"));
        Instant lastSync = clock.instant().plus(Duration.ofHours(1));
        clock.set(lastSync.plusSeconds(10));
        stripe.update("customers", kept, Map.of("email", "first@example.com"));
        clock.set(clock.instant().plusSeconds(10));
        stripe.update("customers", kept, Map.of("email", "second@example.com"));
        stripe.delete("customers", gone);
        String created = stripe.create("customers", Map.of("email", "new@example.com"));
        stripe.create("products", Map.of("name", "not a customer"));
        stripe.createSubscription(created, List.of("price_a"));

        ConnectorContract.assertIncremental(connector, app, "stripe_customer", lastSync, List.of(created, kept));
        var fetched = ConnectorContract.fetchAll(connector, app, new FetchRequest("stripe_customer", lastSync, null));
        assertEquals(List.of(created, kept), fetched.ids(), "each changed customer once; " + untouched + " not at all");
        assertTrue(byId(fetched.entities(), kept).rawPayload().contains("second@example.com"), "the newest state");
        assertEquals(List.of(new Page.Removal(gone, clock.instant())),
                fetched.pages().stream().flatMap(p -> p.removals().stream()).toList());
        assertTrue(fetched.pages().stream().allMatch(p -> p.cursor() == null), "an event walk is not resumable");
        assertTrue(stripe.requests().stream().anyMatch(r -> r.contains("/v1/events?") && r.contains("type=customer.")
                && r.contains("created%5Bgte%5D=" + lastSync.minus(StripeEventPages.CLOCK_MARGIN).getEpochSecond())),
                stripe.requests().toString());
        assertEquals(1, ConnectorContract.fetchAll(connector, app,
                new FetchRequest("stripe_subscription_item", lastSync, null)).ids().size());
        assertEquals(Duration.ofDays(30), connector.changeHistory().orElseThrow());
    }

    @Test
    void aWebhookSignatureIsCheckedForSecretTimeAndContent() throws Exception {
        stripe.create("customers", Map.of("email", "a@example.com"));
        String payload = stripe.eventJson(stripe.lastEventId());
        long t = clock.instant().getEpochSecond();
        assertTrue(verify(payload, FakeStripe.signature(payload, t, SECRET)).valid());
        assertTrue(verify(payload, FakeStripe.signature(payload, t, "whsec_old", SECRET)).valid(),
                "during a rotation Stripe signs with both secrets");
        assertFalse(verify(payload, FakeStripe.signature(payload, t, "whsec_other")).valid());
        assertFalse(verify(payload.replace("a@example.com", "b@example.com"),
                FakeStripe.signature(payload, t, SECRET)).valid(), "tampered");
        var expired = verify(payload, FakeStripe.signature(payload, t - 301, SECRET));
        assertFalse(expired.valid());
        assertTrue(expired.reason().toLowerCase().contains("tolerance"), expired.reason());
        assertTrue(verify(payload, FakeStripe.signature(payload, t - 299, SECRET)).valid());
        assertFalse(connector.verifyWebhook(app, new WebhookRequest(Map.of(), bytes(payload))).valid(), "no header");
    }

    @Test
    void aWebhookEventBecomesActionsOnEntities() throws Exception {
        String customer = stripe.create("customers", Map.of("email", "a@example.com"));
        var created = parse(stripe.lastEventId());
        assertEquals(WebhookEvent.Action.CREATE, created.action());
        assertEquals(List.of(customer), created.entities().stream().map(NormalizedEntity::externalId).toList());
        assertEquals(clock.instant(), created.occurredAt());
        stripe.delete("customers", customer);
        assertEquals(WebhookEvent.Action.DELETE, parse(stripe.lastEventId()).action());
        String subscription = stripe.createSubscription(customer, List.of("price_a", "price_b"));
        stripe.cancelSubscription(subscription);
        var canceled = parse(stripe.lastEventId());
        assertEquals(WebhookEvent.Action.UPDATE, canceled.action(), "its new state is archived");
        assertTrue(canceled.entities().stream().allMatch(e -> e.archivedAt() != null));
        assertEquals(List.of("stripe_subscription", "stripe_subscription_item", "stripe_subscription_item"),
                canceled.entities().stream().map(NormalizedEntity::collectionKey).toList());
        var unknown = connector.parseWebhook(app, new WebhookRequest(Map.of(), bytes(
                "{\"id\":\"evt_1\",\"type\":\"balance.available\",\"created\":1,\"data\":{\"object\":{\"object\":\"balance\"}}}")));
        assertTrue(unknown.entities().isEmpty());
    }

    private WebhookEvent parse(String eventId) throws ConnectorException {
        return connector.parseWebhook(app, new WebhookRequest(Map.of(), bytes(stripe.eventJson(eventId))));
    }

    private dev.tributary.connector.WebhookVerification verify(String payload, String header) {
        return connector.verifyWebhook(app, new WebhookRequest(Map.of("stripe-signature", List.of(header)),
                bytes(payload)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static NormalizedEntity byId(List<NormalizedEntity> entities, String id) {
        return entities.stream().filter(e -> e.externalId().equals(id)).findFirst().orElseThrow();
    }
}
