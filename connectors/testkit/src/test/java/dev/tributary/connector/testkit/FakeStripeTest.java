package dev.tributary.connector.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeStripeTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-20T12:00:00Z"));
    private final FakeStripe stripe = (FakeStripe) FakeStripe.start("sk_test_x").clock(clock);
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        stripe.close();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(stripe.baseUri().resolve(pathAndQuery))
                .header("Authorization", "Bearer sk_test_x").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsKeepToTheCreatedFilterLikeStripe() throws Exception {
        String old = stripe.create("customers", Map.of("email", "old@example.com"));
        long cut = clock.instant().getEpochSecond() + 60;
        clock.set(clock.instant().plusSeconds(60));
        String onTheSecond = stripe.create("customers", Map.of("email", "now@example.com"));
        clock.set(clock.instant().plusSeconds(1));
        String after = stripe.create("customers", Map.of("email", "later@example.com"));

        assertTrue(get("/v1/customers?limit=100&created%5Bgte%5D=" + cut).body().contains(onTheSecond));
        assertEquals(List.of(after, onTheSecond), stripe.servedIds(), "newest first, nothing created before");
        get("/v1/customers?limit=100&created%5Bgt%5D=" + cut + "&created%5Blte%5D=" + (cut + 1));
        get("/v1/customers?limit=100&created%5Blt%5D=" + cut);
        get("/v1/customers?limit=100&created=" + cut);
        assertEquals(List.of(after, onTheSecond, after, old, onTheSecond), stripe.servedIds());
        assertEquals(400, get("/v1/customers?created%5Bgte%5D=soon").statusCode());
        assertEquals(400, get("/v1/customers?created%5Babout%5D=1").statusCode());
    }

    @Test
    void subscriptionItemsRefuseACreatedFilterAndEventsFilterOnTheEventsTime() throws Exception {
        String customer = stripe.create("customers", Map.of());
        String subscription = stripe.createSubscription(customer, List.of("price_a"));
        var refused = get("/v1/subscription_items?subscription=" + subscription + "&created%5Bgte%5D=1");
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("Received unknown parameter: created[gte]"), refused.body());
        clock.set(clock.instant().plusSeconds(10));
        stripe.update("customers", customer, Map.of("email", "x@example.com"));
        String events = get("/v1/events?type=customer.*&created%5Bgte%5D=" + clock.instant().getEpochSecond()).body();
        assertTrue(events.contains("customer.updated") && !events.contains("customer.created"), events);
    }
}
