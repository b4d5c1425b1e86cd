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
                && r.contains("created%5Bgte%5D=" + lastSync.minus(StripeIncrementalPages.CLOCK_MARGIN).getEpochSecond())),
                stripe.requests().toString());
        assertEquals(1, ConnectorContract.fetchAll(connector, app,
                new FetchRequest("stripe_subscription_item", lastSync, null)).ids().size());
        assertEquals(Duration.ofDays(30), connector.changeHistory().orElseThrow());
    }

    @Test
    void stripeIsReadOnlyAndSaysSo() {
        ConnectorContract.assertDestinationDeclared(connector);
        assertTrue(connector.destination().isEmpty());
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

    private AppContext appFrom(Instant syncFrom) {
        return new AppContext("acme", "billing", Map.of(), Map.of("api_key", KEY, "webhook_secret", SECRET), syncFrom);
    }

    @Test
    void syncFromKeepsOlderObjectsOutOfTheListsAndItemsFollowTheirSubscription() throws Exception {
        String old = stripe.create("customers", Map.of("email", "old@example.com"));
        String oldSubscription = stripe.createSubscription(old, List.of("price_a"));
        Instant syncFrom = clock.instant().plusSeconds(30).plusMillis(500);
        clock.set(syncFrom.minusMillis(500));
        String sameSecondBefore = stripe.create("customers", Map.of("email", "early@example.com"));
        clock.set(syncFrom.plusMillis(500));
        String recent = stripe.create("customers", Map.of("email", "new@example.com"));
        String recentSubscription = stripe.createSubscription(recent,
                IntStream.range(0, 12).mapToObj(i -> "price_n" + i).toList());
        var app = appFrom(syncFrom);

        assertEquals(List.of(recent), ConnectorContract.fetchAll(connector, app, FetchRequest.full("stripe_customer")).ids());
        long firstSecond = syncFrom.getEpochSecond() + 1;
        assertTrue(stripe.requests().contains("GET /v1/customers?limit=100&created%5Bgte%5D=" + firstSecond),
                stripe.requests().toString());
        assertFalse(stripe.servedIds().contains(old) || stripe.servedIds().contains(sameSecondBefore),
                "Stripe was asked not to send them: " + stripe.servedIds());

        var items = ConnectorContract.fetchAll(connector, app, FetchRequest.full("stripe_subscription_item"));
        assertEquals(12, items.ids().size(), "all twelve items of the recent subscription, none of the old one's");
        assertTrue(items.failures().isEmpty(), items.failures().toString());
        assertFalse(stripe.servedIds().contains(oldSubscription));
        assertTrue(stripe.requests().stream().anyMatch(r -> r.startsWith("GET /v1/subscriptions?status=all&limit=100"
                + "&created%5Bgte%5D=" + firstSecond)), stripe.requests().toString());
        assertTrue(stripe.requests().contains("GET /v1/subscription_items?subscription=" + recentSubscription
                + "&limit=100"), "items are listed per subscription, which Stripe cannot filter by created");
        assertEquals(List.of(recentSubscription), ConnectorContract.fetchAll(connector, app,
                FetchRequest.full("stripe_subscription")).ids());
    }

    @Test
    void syncFromNeverMovesTheIncrementalWalkOfEvents() throws Exception {
        String old = stripe.create("customers", Map.of("email", "old@example.com"));
        Instant lastSync = clock.instant().plusSeconds(60);
        clock.set(lastSync.plusSeconds(60));
        stripe.update("customers", old, Map.of("email", "changed@example.com"));
        Instant syncFrom = clock.instant().plusSeconds(3600);
        var fetched = ConnectorContract.fetchAll(connector, appFrom(syncFrom),
                new FetchRequest("stripe_customer", lastSync, null));
        assertEquals(List.of(old), fetched.ids(), "an event's time is not its object's: the engine judges the object");
        String since = "created%5Bgte%5D=" + lastSync.minus(StripeIncrementalPages.CLOCK_MARGIN).getEpochSecond();
        assertTrue(stripe.requests().stream().allMatch(r -> r.contains(since)), stripe.requests().toString());
    }

    @Test
    void nulIsDroppedAndATimePostgresqlCannotStoreFailsOnlyItsObject() throws Exception {
        String nul = stripe.create("customers", Map.of("name", "Ann\u0000Lee", "metadata", Map.of("k\u0000", "v")));
        String future = stripe.create("customers", Map.of("email", "far@example.com", "created", 253_402_300_800_000L));
        String fine = stripe.create("customers", Map.of("email", "fine@example.com"));
        var fetched = ConnectorContract.fetchAll(connector, app, FetchRequest.full("stripe_customer"));
        assertEquals(List.of(fine, nul), fetched.ids());
        String payload = byId(fetched.entities(), nul).rawPayload();
        assertTrue(payload.contains("\"name\":\"AnnLee\"") && payload.contains("\"metadata\":{\"k\":\"v\"}")
                && !payload.contains("\\u0000"), payload);
        assertEquals(1, fetched.failures().size());
        assertEquals(future, fetched.failures().get(0).externalId());
        assertTrue(fetched.failures().get(0).reason().startsWith("created +8031969-"), fetched.failures().get(0).reason());

        var byIdRefused = assertThrows(ConnectorException.Rejected.class,
                () -> connector.fetchById(app, "stripe_customer", future));
        assertTrue(byIdRefused.getMessage().contains("cannot be stored: created +8031969-"), byIdRefused.getMessage());
        assertTrue(assertThrows(ConnectorException.Rejected.class, () -> connector.fetchById(app, "stripe_customer",
                "../v1/charges")).getMessage().contains("is not a Stripe id"));

        clock.set(clock.instant().plus(Duration.ofMinutes(10)));
        Instant lastSync = clock.instant();
        stripe.update("customers", nul, Map.of("description", "x\u0000y"));
        var event = parse(stripe.lastEventId());
        assertTrue(event.entities().get(0).rawPayload().contains("\"description\":\"xy\""));
        stripe.update("customers", future, Map.of("email", "farther@example.com"));
        var webhookRefused = assertThrows(ConnectorException.Rejected.class, () -> parse(stripe.lastEventId()));
        assertTrue(webhookRefused.getMessage().contains("created +8031969-"), webhookRefused.getMessage());

        var incremental = ConnectorContract.fetchAll(connector, app, new FetchRequest("stripe_customer", lastSync, null));
        assertEquals(List.of(nul), incremental.ids());
        assertEquals(List.of(future), incremental.failures().stream().map(Page.RecordFailure::externalId).toList());
    }

    @Test
    void aMalformedSignatureHeaderIsRejectedWithAReasonNeverAnException() {
        String payload = "{\"id\": \"evt_1\"}";
        long t = clock.instant().getEpochSecond();
        String good = FakeStripe.signature(payload, t, SECRET);
        String v1 = good.substring(good.indexOf("v1="));
        Map<String, List<String>> cases = new java.util.LinkedHashMap<>();
        cases.put("t=,v1=", List.of("t=,v1="));
        cases.put("25-digit t", List.of("t=" + "9".repeat(25) + "," + v1));
        cases.put("t with a sign", List.of("t=-" + t + "," + v1));
        cases.put("fractional t", List.of("t=" + t + ".5," + v1));
        cases.put("t padded", List.of("t= " + t + "," + v1));
        cases.put("no t", List.of(v1));
        cases.put("no v1", List.of("t=" + t));
        cases.put("only v0", List.of("t=" + t + ",v0=" + "a".repeat(64)));
        cases.put("t twice", List.of("t=" + t + ",t=" + t + "," + v1));
        cases.put("non-hex v1", List.of("t=" + t + ",v1=" + "z".repeat(64)));
        cases.put("short v1", List.of("t=" + t + ",v1=abc"));
        cases.put("upper-case v1", List.of("t=" + t + "," + v1.toUpperCase().replace("V1=", "v1=")));
        cases.put("one good, one garbage v1", List.of(good + ",v1=nope"));
        cases.put("garbage", List.of("garbage"));
        cases.put("empty", List.of(""));
        cases.put("only commas", List.of(",,,"));
        cases.put("key without value separator", List.of("t"));
        cases.put("equals first", List.of("=1,t=" + t + "," + v1));
        cases.put("double equals", List.of("t==1,v1=="));
        cases.put("huge", List.of(good + ",v1=" + "a".repeat(64).repeat(200)));
        cases.put("two headers", List.of(good, good));
        cases.put("no header at all", List.of());
        for (var c : cases.entrySet()) {
            Map<String, List<String>> headers = c.getValue().isEmpty() ? Map.of()
                    : Map.of("stripe-signature", c.getValue());
            var verification = connector.verifyWebhook(app, new WebhookRequest(headers, bytes(payload)));
            assertFalse(verification.valid(), c.getKey());
            assertFalse(verification.reason().isBlank(), c.getKey());
            assertTrue(verification.reason().length() < 200, c.getKey() + ": the reason does not echo the header");
        }
        assertTrue(verify(payload, good).valid(), "the well-formed header still passes");
        assertTrue(verify(payload, good + ",v0=" + "b".repeat(64)).valid(), "other schemes are Stripe's to add");
    }

    @Test
    void aVerifiedButMalformedEventIsRejectedSayingWhatNeverARuntimeException() {
        String object = "{\"object\": \"customer\", \"id\": \"cus_1\", \"created\": 1}";
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("not JSON", "{\"id\": ");
        bodies.put("trailing content", "{\"id\": \"evt_1\"} {}");
        bodies.put("empty", "");
        bodies.put("a JSON array", "[" + object + "]");
        bodies.put("a JSON string", "\"evt_1\"");
        bodies.put("null", "null");
        bodies.put("no id", "{\"type\": \"customer.updated\", \"created\": 1, \"data\": {\"object\": " + object + "}}");
        bodies.put("numeric id", "{\"id\": 1, \"type\": \"customer.updated\", \"created\": 1, \"data\": {\"object\": "
                + object + "}}");
        bodies.put("type an object", "{\"id\": \"evt_1\", \"type\": {}, \"created\": 1, \"data\": {\"object\": "
                + object + "}}");
        bodies.put("created a string", "{\"id\": \"evt_1\", \"type\": \"customer.updated\", \"created\": \"today\","
                + " \"data\": {\"object\": " + object + "}}");
        bodies.put("created beyond any clock", "{\"id\": \"evt_1\", \"type\": \"customer.updated\", \"created\": "
                + "99999999999999999999, \"data\": {\"object\": " + object + "}}");
        bodies.put("no created", "{\"id\": \"evt_1\", \"type\": \"customer.updated\", \"data\": {\"object\": "
                + object + "}}");
        bodies.put("data a string", "{\"id\": \"evt_1\", \"type\": \"customer.updated\", \"created\": 1, \"data\": \"x\"}");
        bodies.put("data.object an array", "{\"id\": \"evt_1\", \"type\": \"customer.updated\", \"created\": 1,"
                + " \"data\": {\"object\": []}}");
        bodies.put("a customer without an id", "{\"id\": \"evt_1\", \"type\": \"customer.updated\", \"created\": 1,"
                + " \"data\": {\"object\": {\"object\": \"customer\"}}}");
        bodies.put("an object created in year 10000", "{\"id\": \"evt_1\", \"type\": \"customer.updated\", \"created\": 1,"
                + " \"data\": {\"object\": {\"object\": \"customer\", \"id\": \"cus_1\", \"created\": 253402300800}}}");
        bodies.put("a subscription with a malformed item", "{\"id\": \"evt_1\", \"type\": \"customer.subscription.updated\","
                + " \"created\": 1, \"data\": {\"object\": {\"object\": \"subscription\", \"id\": \"sub_1\","
                + " \"items\": {\"data\": [{\"object\": \"subscription_item\"}]}}}}");
        bodies.put("deeply nested", "{\"id\": \"evt_1\", \"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        for (var body : bodies.entrySet()) {
            var refused = assertThrows(ConnectorException.Rejected.class, () -> connector.parseWebhook(app,
                    new WebhookRequest(Map.of(), bytes(body.getValue()))), body.getKey());
            assertFalse(refused.getMessage() == null || refused.getMessage().contains("null"), body.getKey() + ": "
                    + refused.getMessage());
        }
        byte[] invalidUtf8 = ("{\"id\": \"evt_\u00ff\", \"type\": \"customer.updated\", \"created\": 1, \"data\": "
                + "{\"object\": " + object + "}}").getBytes(StandardCharsets.ISO_8859_1);
        var refused = assertThrows(ConnectorException.Rejected.class,
                () -> connector.parseWebhook(app, new WebhookRequest(Map.of(), invalidUtf8)));
        assertTrue(refused.getMessage().contains("not valid UTF-8"), refused.getMessage());
    }
}
