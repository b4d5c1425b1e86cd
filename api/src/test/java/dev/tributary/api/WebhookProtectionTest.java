package dev.tributary.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tributary.connector.testkit.FakeStripe;
import dev.tributary.connector.testkit.SettableClock;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.scheduler.webhook.WebhookIngest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /webhooks/**} under attack and under bad data, over real sockets: each app's rate limit refuses
 * a flood before the app is looked up; refused signatures are logged once per app and minute with a
 * count; a signed event that cannot be applied is recorded as failed and acknowledged, never a 5xx that
 * a provider would redeliver for days.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookProtectionTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-webhook-protection";
    static final String API_KEY = "sk_test_protection";
    static final String SECRET = "whsec_protection";
    static final int PER_SECOND = 5;

    @Inject
    EmbeddedServer server;

    private TestDatabase database;
    private final FakeStripe stripe = FakeStripe.start(API_KEY);
    private final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final HttpClient client = HttpClient.newHttpClient();

    @MockBean(Clock.class)
    Clock clock() {
        return clock;
    }

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return ServiceSettings.of(database, ADMIN_KEY)
                .with("tributary.connectors.stripe.api-base", stripe.baseUri().toString())
                .with("tributary.rate-limit.webhooks-per-second", Integer.toString(PER_SECOND))
                .properties();
    }

    @BeforeAll
    void tenantAndApps() {
        var http = new HttpProbe(server.getURI());
        http.createTenant(ADMIN_KEY, "acme");
        String admin = http.createApiKey(ADMIN_KEY, "acme", "sync:admin");
        for (String app : List.of("flooded", "calm", "logged", "far", "unreadable-0", "unreadable-1",
                "unreadable-2", "nul")) {
            var created = http.send("POST", "/api/apps", "{\"app_key\": \"" + app + "\", \"connector\": \"stripe\","
                    + " \"name\": \"Billing\", \"config\": " + (app.equals("nul") ? "{\"log_webhook_payloads\": true}" : "{}")
                    + ", \"credentials\": {\"api_key\": \"" + API_KEY + "\","
                    + " \"webhook_secret\": \"" + SECRET + "\"}}", "Authorization", "Bearer " + admin,
                    "X-Tenant-ID", "acme", "Content-Type", "application/json");
            assertEquals(201, created.statusCode(), created.body());
        }
    }

    @AfterAll
    void stop() {
        stripe.close();
    }

    private HttpResponse<String> deliver(String path, String body, String signature) {
        try {
            return client.send(HttpRequest.newBuilder(server.getURI().resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Signed as Stripe signs, at the service's (settable) time. */
    private HttpResponse<String> signed(String app, String body) {
        return deliver("/webhooks/acme/" + app, body, FakeStripe.signature(body, clock.instant().getEpochSecond(), SECRET));
    }

    private double metric(String name, String label) {
        return new HttpProbe(server.getURI()).get("/prometheus").body().lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aFloodIsRefusedWith429BeforeTheAppIsLookedUpOrItsSignatureChecked() {
        double checkedBefore = metric("tributary_webhook_verification_failures_total", "provider=\"stripe\"");
        int checked = 0;
        HttpResponse<String> limited = null;
        // Sent one after another: a few pass each second, the rest of the second's flood is refused.
        for (int i = 0; i < 5_000 && limited == null; i++) {
            var answer = deliver("/webhooks/acme/flooded", "{}", "t=1,v1=00");
            if (answer.statusCode() == 429) {
                limited = answer;
            } else {
                assertEquals(400, answer.statusCode(), answer.body());
                checked++;
            }
        }
        assertTrue(limited != null, "no 429 in 5,000 deliveries");
        assertEquals("1", limited.headers().firstValue("Retry-After").orElse(""));
        assertEquals("application/problem+json", limited.headers().firstValue("Content-Type").orElse(""));
        assertEquals("rate_limited", HttpProbe.json(limited).get("code"));
        assertEquals(checkedBefore + checked, metric("tributary_webhook_verification_failures_total",
                "provider=\"stripe\""), "refused deliveries never reached the signature check");
        assertTrue(metric("tributary_rate_limit_rejections_total", "kind=\"webhook\"") >= 1);

        // Unknown apps are limited the same way: the limit comes before the lookup that would answer 404.
        HttpResponse<String> unknown = null;
        for (int i = 0; i < 5_000 && (unknown == null || unknown.statusCode() != 429); i++) {
            unknown = deliver("/webhooks/nobody/nothing", "{}", "t=1,v1=00");
            assertTrue(Set.of(404, 429).contains(unknown.statusCode()), unknown.body());
        }
        assertEquals(429, unknown.statusCode());

        var other = deliver("/webhooks/acme/calm", "{}", "t=1,v1=00");
        assertEquals(400, other.statusCode(), "another app's budget is its own: " + other.body());
    }

    @Test
    void refusedSignaturesAreLoggedOncePerAppAndMinuteWithTheCountOfTheOthers() {
        var logs = new ListAppender<ILoggingEvent>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(WebhookIngest.class);
        logger.addAppender(logs);
        try {
            double before = metric("tributary_webhook_verification_failures_total", "provider=\"stripe\"");
            for (int i = 0; i < 3; i++) {
                assertEquals(400, deliver("/webhooks/acme/logged", "{}", "t=1,v1=00").statusCode());
            }
            assertEquals(1, refusals(logs).size(), refusals(logs).toString());
            assertEquals(before + 3, metric("tributary_webhook_verification_failures_total", "provider=\"stripe\""),
                    "the metric counts every one");

            clock.set(clock.instant().plus(Duration.ofSeconds(61)));
            assertEquals(400, deliver("/webhooks/acme/logged", "{}", "t=1,v1=00").statusCode());
            List<String> lines = refusals(logs);
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(1).contains("2 more refused"), lines.get(1));
        } finally {
            logger.detachAppender(logs);
        }
    }

    private static List<String> refusals(ListAppender<ILoggingEvent> logs) {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("acme/logged refused")).toList();
    }

    @Test
    void aSignedEventWithATimeTheDatabaseCannotStoreIsRecordedFailedAndAcknowledged() throws Exception {
        String far = "{\"id\": \"evt_far\", \"object\": \"event\", \"type\": \"customer.created\", \"created\": "
                + clock.instant().getEpochSecond() + ", \"data\": {\"object\": {\"id\": \"cus_far\", \"object\":"
                + " \"customer\", \"created\": 99999999999999, \"email\": \"far@example.com\"}}}";
        var first = signed("far", far);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("failed", HttpProbe.json(first).get("status"), "acknowledged, so Stripe stops redelivering");
        var again = signed("far", far);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("duplicate", HttpProbe.json(again).get("status"));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.webhook_events WHERE app_key = 'far'"
                + " AND status = 'failed'"));
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'far'"));
    }

    @Test
    void aSignedEventTheConnectorCannotReadIsRecordedFailedUnderTheDigestOfItsBody() throws Exception {
        List<String> bodies = List.of("{\"id\": \"evt_partial\"}", "not JSON at all", "{\"id\": \"evt_odd\", \"type\":"
                + " \"customer.updated\", \"created\": 1, \"data\": 5}");
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            String app = "unreadable-" + i; // an app each: two deliveries stay within its budget
            var first = signed(app, body);
            assertEquals(200, first.statusCode(), first.body());
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
            assertEquals(Map.of("event_id", digest, "status", "failed"), HttpProbe.json(first));
            assertEquals("duplicate", HttpProbe.json(signed(app, body)).get("status"));
            assertEquals("failed", database.queryText("SELECT status FROM tributary.webhook_events"
                    + " WHERE app_key = '" + app + "' AND event_id = '" + digest + "'"));
        }
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key LIKE 'unreadable-%'"));
    }

    @Test
    void aSignedEventWithNulInAStringIsStoredWithoutIt() throws Exception {
        String nul = "{\"id\": \"evt_nul\", \"object\": \"event\", \"type\": \"customer.created\", \"created\": "
                + clock.instant().getEpochSecond() + ", \"data\": {\"object\": {\"id\": \"cus_nul\", \"object\":"
                + " \"customer\", \"created\": 1700000000, \"name\": \"a\\u0000b\"}}}";
        var answer = signed("nul", nul);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("processed", HttpProbe.json(answer).get("status"), "jsonb refuses NUL: the payload is kept without it");
        assertEquals("ab", database.queryText("SELECT raw_payload->>'name' FROM tributary.entities WHERE app_key = 'nul'"));
        assertEquals("ab", database.queryText("SELECT payload->'data'->'object'->>'name' FROM tributary.webhook_events"
                + " WHERE app_key = 'nul'"), "the logged payload drops it too");
    }
}
