package dev.tributary.api.connector;

import dev.tributary.api.HttpProbe;
import dev.tributary.api.ServiceSettings;
import dev.tributary.connector.testkit.FakeIntercom;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Intercom connector end to end: syncs through the API against the fake Intercom, its views, its webhooks. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntercomApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-intercom-tests-001";
    static final String TOKEN = "intercom-access-token";
    static final String CLIENT_SECRET = "intercom-client-secret";

    @Inject
    EmbeddedServer server;

    private TestDatabase database;
    private final FakeIntercom intercom = FakeIntercom.start(TOKEN);
    private String admin;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return ServiceSettings.of(database, ADMIN_KEY)
                .with("tributary.connectors.intercom.api-base", intercom.baseUri().toString())
                .with("tributary.rate-limit.sync-triggers-per-minute", "1000")
                .with("tributary.scheduler.idle-wait", "1s")
                .properties();
    }

    @BeforeAll
    void tenantAndApp() {
        http().createTenant(ADMIN_KEY, "acme");
        admin = http().createApiKey(ADMIN_KEY, "acme", "sync:admin");
        var created = call("POST", "/api/apps", "{\"app_key\": \"support\", \"connector\": \"intercom\", \"name\": \"Support\","
                + " \"config\": {}, \"credentials\": {\"access_token\": \"" + TOKEN + "\", \"client_secret\": \""
                + CLIENT_SECRET + "\"}}");
        assertEquals(201, created.statusCode(), created.body());
    }

    @AfterAll
    void stop() {
        intercom.close();
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private HttpResponse<String> call(String method, String path, String body) {
        return http().send(method, path, body, "Authorization", "Bearer " + admin, "X-Tenant-ID", "acme",
                "Content-Type", "application/json");
    }

    private Map<String, Object> sync(String collection, String mode) {
        return http().syncToCompletion(admin, "acme", "{\"app_key\": \"support\", \"collection\": \"" + collection
                + "\", \"mode\": \"" + mode + "\"}");
    }

    private URI endpoint() {
        return server.getURI().resolve("/webhooks/acme/support");
    }

    private Map<String, Object> contact(String id, String email, long updatedAt) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "contact");
        item.put("id", id);
        item.put("role", "user");
        item.put("email", email);
        item.put("created_at", 1_700_000_000L);
        item.put("updated_at", updatedAt);
        return item;
    }

    @Test
    void fullAndIncrementalSyncsFillTheViews() throws Exception {
        String ann = intercom.create("contact", Map.of("role", "user", "email", "ann@example.com", "name", "Ann"));
        String bob = intercom.create("contact", Map.of("role", "lead", "email", "bob@example.com", "name", "Bob"));
        intercom.create("company", Map.of("company_id", "acme-co", "name", "Acme Co"));
        intercom.create("tag", Map.of("name", "vip"));
        sync("intercom_contact", "full");
        sync("intercom_company", "full");
        sync("intercom_tag", "full");
        assertEquals("Ann", database.queryText("SELECT name FROM intercom.contacts WHERE id = '" + ann + "'"));
        assertEquals("Acme Co", database.queryText("SELECT name FROM intercom.companies WHERE company_id = 'acme-co'"));
        assertEquals("vip", database.queryText("SELECT name FROM intercom.tags"));

        intercom.clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(10)));
        intercom.update("contact", bob, Map.of("email", "robert@example.com"));
        intercom.archiveContact(ann);
        var incremental = sync("intercom_contact", "incremental");
        assertEquals(2, ((Number) ((Map<?, ?>) incremental.get("records")).get("updated")).intValue());
        assertTrue(intercom.requests().contains("POST /contacts/search"));
        assertEquals("robert@example.com", database.queryText("SELECT email FROM intercom.contacts WHERE id = '" + bob + "'"));
        assertEquals(1, database.queryLong("SELECT count(*) FROM intercom.contacts WHERE id = '" + ann
                + "' AND archived_at IS NOT NULL"));

        intercom.delete("contact", bob);
        var full = sync("intercom_contact", "full");
        assertEquals(1, ((Number) ((Map<?, ?>) full.get("records")).get("deleted")).intValue());
        assertEquals(0, database.queryLong("SELECT count(*) FROM intercom.contacts WHERE id = '" + bob + "'"));
    }

    @Test
    void signedNotificationsAreAppliedOnceInOrderAndDeletionsRemove() throws Exception {
        long now = Instant.now().getEpochSecond();
        String newer = intercom.notification("contact.user.updated", contact("hook-1", "new@example.com", now));
        String older = intercom.notification("contact.user.updated", contact("hook-1", "old@example.com", now - 60));
        var first = intercom.sendWebhook(endpoint(), newer, CLIENT_SECRET);
        assertEquals(200, first.status(), first.body());
        assertEquals("processed", HttpProbe.json(first.body()).get("status"));
        assertEquals("duplicate", HttpProbe.json(intercom.sendWebhook(endpoint(), newer, CLIENT_SECRET).body())
                .get("status"));
        assertEquals(200, intercom.sendWebhook(endpoint(), older, CLIENT_SECRET).status());
        assertEquals("new@example.com", database.queryText("SELECT email FROM intercom.contacts WHERE id = 'hook-1'"),
                "the older notification did not overwrite the newer state");

        var tampered = intercom.sendWebhook(endpoint(), newer.replace("new@", "evil@"), null);
        assertEquals(400, tampered.status());
        assertEquals(400, intercom.sendWebhook(endpoint(), newer, "not-the-secret").status());

        String archived = intercom.notification("contact.archived", Map.of("type", "contact", "id", "hook-1"));
        assertEquals(200, intercom.sendWebhook(endpoint(), archived, CLIENT_SECRET).status());
        assertEquals(1, database.queryLong("SELECT count(*) FROM intercom.contacts WHERE id = 'hook-1'"
                + " AND archived_at IS NOT NULL AND email = 'new@example.com'"), "archived, and the contact kept");
        String deleted = intercom.notification("contact.deleted", Map.of("type", "contact", "id", "hook-1"));
        assertEquals(200, intercom.sendWebhook(endpoint(), deleted, CLIENT_SECRET).status());
        assertEquals(0, database.queryLong("SELECT count(*) FROM intercom.contacts WHERE id = 'hook-1'"));
        assertEquals(4, database.queryLong("SELECT count(*) FROM tributary.webhook_events WHERE app_key = 'support'"
                + " AND status = 'processed'"));
    }
}
