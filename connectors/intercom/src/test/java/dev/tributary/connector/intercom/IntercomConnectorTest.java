package dev.tributary.connector.intercom;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.testkit.ConnectorContract;
import dev.tributary.connector.testkit.SettableClock;
import dev.tributary.connector.testkit.FakeIntercom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntercomConnectorTest {

    private static final String TOKEN = "dG9rOmZha2U=";
    private static final String CLIENT_SECRET = "intercom-client-secret";

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-20T12:00:00Z"));
    private final FakeIntercom intercom = (FakeIntercom) FakeIntercom.start(TOKEN).clock(clock);
    private final IntercomConnector connector = new IntercomConnector(
            new IntercomConfiguration(intercom.baseUri().toString(), null), clock);
    private final AppContext app = new AppContext("acme", "support", Map.of(),
            Map.of("access_token", TOKEN, "client_secret", CLIENT_SECRET), null);

    @AfterEach
    void stop() {
        intercom.close();
    }

    @Test
    void contactsAndConversationsPageByCursorCompaniesByNumberAdminsAndTagsWhole() throws Exception {
        intercom.seedContacts(320);
        List<String> contacts = IntStream.rangeClosed(1, 320).mapToObj(i -> String.format("%024x", i)).toList();
        ConnectorContract.assertFullPaging(connector, app, "intercom_contact", contacts, 3);
        ConnectorContract.assertResumesFromCursor(connector, app, "intercom_contact");
        assertTrue(intercom.requests().stream().anyMatch(r -> r.startsWith("GET /contacts?per_page=150&starting_after=")));

        List<String> companies = IntStream.range(0, 70).mapToObj(i -> intercom.create("company",
                Map.of("company_id", "c" + i, "name", "Company " + i))).toList();
        ConnectorContract.assertFullPaging(connector, app, "intercom_company", companies, 2);
        ConnectorContract.assertResumesFromCursor(connector, app, "intercom_company");
        List<String> conversations = IntStream.range(0, 160).mapToObj(i -> intercom.create("conversation",
                Map.of("state", "open", "open", true))).toList();
        ConnectorContract.assertFullPaging(connector, app, "intercom_conversation", conversations, 2);
        String admin = intercom.create("admin", Map.of("name", "Ann", "email", "ann@example.com"));
        String tag = intercom.create("tag", Map.of("name", "vip"));
        assertEquals(List.of(admin), ConnectorContract.fetchAll(connector, app, FetchRequest.full("intercom_admin")).ids());
        var tags = ConnectorContract.fetchAll(connector, app, FetchRequest.full("intercom_tag"));
        assertEquals(List.of(tag), tags.ids());
        assertEquals(clock.instant(), tags.entities().get(0).sourceUpdatedAt(), "no updated_at: when Intercom vouched for it");
    }

    @Test
    void incrementalAsksTheSearchEndpointForWhatChangedAfterTheLastSync() throws Exception {
        String changed = intercom.create("contact", Map.of("email", "a@example.com"));
        intercom.create("contact", Map.of("email", "b@example.com"));
        String company = intercom.create("company", Map.of("name", "Old"));
        intercom.create("company", Map.of("name", "Untouched"));
        String conversation = intercom.create("conversation", Map.of("state", "open"));
        Instant lastSync = clock.instant().plus(Duration.ofHours(1));
        clock.set(lastSync.plusSeconds(30));
        intercom.update("contact", changed, Map.of("email", "changed@example.com"));
        intercom.update("company", company, Map.of("name", "New"));
        intercom.update("conversation", conversation, Map.of("state", "closed"));

        ConnectorContract.assertIncremental(connector, app, "intercom_contact", lastSync, List.of(changed));
        ConnectorContract.assertIncremental(connector, app, "intercom_company", lastSync, List.of(company));
        ConnectorContract.assertIncremental(connector, app, "intercom_conversation", lastSync, List.of(conversation));
        assertTrue(intercom.requests().contains("POST /contacts/search"));
        assertTrue(intercom.requests().contains("POST /conversations/search"));
    }

    @Test
    void archivedContactsGetArchivedAt() throws Exception {
        String contact = intercom.create("contact", Map.of("email", "a@example.com"));
        intercom.create("contact", Map.of("email", "b@example.com"));
        clock.set(clock.instant().plusSeconds(60));
        intercom.archiveContact(contact);
        var entities = ConnectorContract.fetchAll(connector, app, FetchRequest.full("intercom_contact")).entities();
        assertEquals(clock.instant(), entities.get(0).archivedAt());
        assertNull(entities.get(1).archivedAt());
    }

    @Test
    void errorsInIntercomsFormatMapToTheConnectorErrors() throws Exception {
        intercom.seedContacts(160);
        ConnectorContract.assertRateLimitBackoff(connector, app, "intercom_contact", intercom, Duration.ofSeconds(7));
        ConnectorContract.assertTransientOn5xx(connector, app, "intercom_contact", intercom);
        var wrong = new AppContext("acme", "support", Map.of(), Map.of("access_token", "other"), null);
        var revoked = assertThrows(ConnectorException.AuthRevoked.class,
                () -> ConnectorContract.fetchAll(connector, wrong, FetchRequest.full("intercom_tag")));
        assertTrue(revoked.getMessage().contains("unauthorized"), revoked.getMessage());
        assertThrows(ConnectorException.NotFound.class, () -> connector.fetchById(app, "intercom_contact", "nope"));
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                new AppContext("acme", "support", Map.of(), Map.of(), null), "credentials.access_token");
        ConnectorContract.assertConfigErrorIsPermanent(connector, new AppContext("acme", "support",
                Map.of("collections", List.of("contacts")), Map.of("access_token", TOKEN), null), "collections");
    }

    @Test
    void aWebhookIsSignedWithTheClientSecretOverTheBody() {
        String body = intercom.notification("contact.user.created", Map.of("type", "contact", "id", "c1"));
        assertTrue(verify(body, FakeIntercom.signature(body, CLIENT_SECRET)).valid());
        assertFalse(verify(body, FakeIntercom.signature(body, "other-secret")).valid());
        assertFalse(verify(body.replace("c1", "c2"), FakeIntercom.signature(body, CLIENT_SECRET)).valid(), "tampered");
        assertFalse(verify(body, "sha1=zz").valid());
        assertFalse(connector.verifyWebhook(app, new WebhookRequest(Map.of(), bytes(body))).valid(), "unsigned");
        var rotating = new AppContext("acme", "support", Map.of(), Map.of("access_token", TOKEN,
                "client_secret", "new-secret", "previous_client_secret", CLIENT_SECRET), null);
        var headers = Map.of("x-hub-signature", List.of(FakeIntercom.signature(body, CLIENT_SECRET)));
        assertTrue(connector.verifyWebhook(rotating, new WebhookRequest(headers, bytes(body))).valid(),
                "while the secret is rotated, the previous one still signs");
        assertFalse(connector.verifyWebhook(app, new WebhookRequest(
                Map.of("x-hub-signature", List.of(FakeIntercom.signature(body, "new-secret"))), bytes(body))).valid());
    }

    @Test
    void notificationsBecomeActionsOnEntities() throws Exception {
        var created = parse("contact.user.created", Map.of("type", "contact", "id", "c1", "email", "a@example.com",
                "created_at", 100, "updated_at", 100));
        assertEquals(WebhookEvent.Action.CREATE, created.action());
        assertEquals(Instant.ofEpochSecond(100), created.entities().get(0).sourceUpdatedAt());
        var archived = parse("contact.archived", Map.of("type", "contact", "id", "c1"));
        assertEquals(WebhookEvent.Action.ARCHIVE, archived.action());
        assertNotNull(archived.entities().get(0).archivedAt());
        assertEquals(WebhookEvent.Action.DELETE, parse("contact.deleted", Map.of("type", "contact", "id", "c1")).action());
        assertEquals("intercom_company", parse("company.updated", Map.of("type", "company", "id", "co1", "updated_at", 5))
                .entities().get(0).collectionKey());
        assertTrue(parse("ping", Map.of("type", "ping", "message", "hi")).entities().isEmpty());
        assertTrue(parse("contact.user.updated", Map.of("type", "contact", "id", "c1")).entities().isEmpty(),
                "only an id came: storing it would wipe the contact");
    }

    private WebhookEvent parse(String topic, Map<String, Object> item) throws ConnectorException {
        return connector.parseWebhook(app, new WebhookRequest(Map.of(), bytes(intercom.notification(topic, item))));
    }

    private dev.tributary.connector.WebhookVerification verify(String body, String signature) {
        return connector.verifyWebhook(app, new WebhookRequest(Map.of("x-hub-signature", List.of(signature)),
                bytes(body)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private AppContext appFrom(Instant syncFrom) {
        return new AppContext("acme", "support", Map.of(), Map.of("access_token", TOKEN, "client_secret", CLIENT_SECRET),
                syncFrom);
    }

    @Test
    void syncFromNarrowsTheSearchesAndIsCombinedWithTheChangeTimeOfAnIncrementalOne() throws Exception {
        clock.set(Instant.parse("2026-11-19T09:00:00Z"));
        String oldContact = intercom.create("contact", Map.of("email", "old@example.com"));
        String oldConversation = intercom.create("conversation", Map.of("state", "open"));
        String oldCompany = intercom.create("company", Map.of("name", "Old"));
        clock.set(Instant.parse("2026-11-20T09:59:59Z"));
        String earlierThatDay = intercom.create("contact", Map.of("email", "early@example.com"));
        String earlierConversation = intercom.create("conversation", Map.of("state", "open"));
        clock.set(Instant.parse("2026-11-20T10:00:01Z"));
        String contact = intercom.create("contact", Map.of("email", "new@example.com"));
        String conversation = intercom.create("conversation", Map.of("state", "open"));
        String company = intercom.create("company", Map.of("name", "New"));
        String tag = intercom.create("tag", Map.of("name", "vip"));
        var app = appFrom(Instant.parse("2026-11-20T10:00:00.500Z"));

        assertEquals(List.of(contact), ConnectorContract.fetchAll(connector, app, FetchRequest.full("intercom_contact")).ids());
        assertTrue(intercom.requests().contains("POST /contacts/search"), intercom.requests().toString());
        assertEquals(List.of(earlierThatDay, contact), intercom.servedIds(),
                "contact search compares by day: the day's earlier contact comes and is dropped, the older day's does not");
        assertEquals(List.of(conversation),
                ConnectorContract.fetchAll(connector, app, FetchRequest.full("intercom_conversation")).ids());
        assertEquals(List.of(earlierThatDay, contact, conversation), intercom.servedIds(),
                "conversation search compares seconds: " + earlierConversation + " and " + oldConversation + " stay out");
        assertEquals(List.of(company), ConnectorContract.fetchAll(connector, app, FetchRequest.full("intercom_company"))
                .ids(), "companies cannot be searched: the list comes whole and " + oldCompany + " is dropped here");
        assertEquals(List.of(tag), ConnectorContract.fetchAll(connector, app, FetchRequest.full("intercom_tag")).ids(),
                "tags carry no creation time: all are kept");

        Instant lastSync = Instant.parse("2026-11-20T12:00:00Z");
        clock.set(lastSync.plus(Duration.ofMinutes(30)));
        intercom.update("contact", oldContact, Map.of("email", "old-changed@example.com"));
        intercom.update("contact", contact, Map.of("email", "new-changed@example.com"));
        intercom.update("conversation", oldConversation, Map.of("state", "closed"));
        intercom.update("conversation", conversation, Map.of("state", "closed"));
        int served = intercom.servedIds().size();
        assertEquals(List.of(contact), ConnectorContract.fetchAll(connector, app,
                new FetchRequest("intercom_contact", lastSync, null)).ids());
        assertEquals(List.of(conversation), ConnectorContract.fetchAll(connector, app,
                new FetchRequest("intercom_conversation", lastSync, null)).ids());
        var incrementalServed = intercom.servedIds().subList(served, intercom.servedIds().size());
        assertFalse(incrementalServed.contains(oldContact) || incrementalServed.contains(oldConversation),
                "created before sync_from: asked for neither, though both changed: " + incrementalServed);
        assertTrue(incrementalServed.contains(contact) && incrementalServed.contains(conversation));
    }

    @Test
    void nulIsDroppedAndATimePostgresqlCannotStoreFailsOnlyItsObject() throws Exception {
        String nul = intercom.create("contact", Map.of("name", "Ann\u0000Lee", "custom_attributes", Map.of("k\u0000", 1)));
        String future = intercom.create("contact", Map.of("email", "far@example.com", "created_at", 253_402_300_800_000L));
        var fetched = ConnectorContract.fetchAll(connector, app, FetchRequest.full("intercom_contact"));
        assertEquals(List.of(nul), fetched.ids());
        String payload = fetched.entities().get(0).rawPayload();
        assertTrue(payload.contains("\"name\":\"AnnLee\"") && payload.contains("{\"k\":1}"), payload);
        assertEquals(List.of(future), fetched.failures().stream().map(f -> f.externalId()).toList());
        assertTrue(fetched.failures().get(0).reason().startsWith("created_at +8031969-"), fetched.failures().get(0).reason());
        var byId = assertThrows(ConnectorException.Rejected.class, () -> connector.fetchById(app, "intercom_contact", future));
        assertTrue(byId.getMessage().contains("cannot be stored: created_at +8031969-"), byId.getMessage());
        assertTrue(assertThrows(ConnectorException.Rejected.class, () -> connector.fetchById(app, "intercom_contact",
                "../admins")).getMessage().contains("is not an Intercom id"));

        var item = new java.util.HashMap<String, Object>(intercom.object("contact", nul));
        item.put("name", "Bo\u0000b");
        assertTrue(parse("contact.user.updated", item).entities().get(0).rawPayload().contains("\"name\":\"Bob\""));
        var refused = assertThrows(ConnectorException.Rejected.class,
                () -> parse("contact.user.updated", intercom.object("contact", future)));
        assertTrue(refused.getMessage().contains("created_at +8031969-"), refused.getMessage());
    }

    @Test
    void aMalformedHubSignatureIsRejectedWithAReasonNeverAnException() {
        String body = intercom.notification("ping", Map.of("type", "ping"));
        String good = FakeIntercom.signature(body, CLIENT_SECRET);
        String hex = good.substring("sha1=".length());
        Map<String, List<String>> cases = new java.util.LinkedHashMap<>();
        cases.put("no prefix", List.of(hex));
        cases.put("another algorithm", List.of("sha256=" + hex));
        cases.put("upper-case prefix", List.of("SHA1=" + hex));
        cases.put("non-hex", List.of("sha1=" + "g".repeat(40)));
        cases.put("too short", List.of("sha1=" + hex.substring(2)));
        cases.put("too long", List.of("sha1=" + hex + "00"));
        cases.put("odd length", List.of("sha1=" + hex.substring(1)));
        cases.put("empty signature", List.of("sha1="));
        cases.put("empty header", List.of(""));
        cases.put("two in one header", List.of(good + "," + good));
        cases.put("two headers", List.of(good, good));
        cases.put("huge", List.of("sha1=" + "a".repeat(1 << 16)));
        cases.put("padded", List.of(" " + good));
        for (var c : cases.entrySet()) {
            var verification = connector.verifyWebhook(app, new WebhookRequest(Map.of("x-hub-signature", c.getValue()),
                    bytes(body)));
            assertFalse(verification.valid(), c.getKey());
            assertFalse(verification.reason().isBlank(), c.getKey());
            assertTrue(verification.reason().length() < 200, c.getKey() + ": the reason does not echo the header");
        }
        assertTrue(verify(body, good).valid());
        assertTrue(verify(body, "sha1=" + hex.toUpperCase()).valid(), "hex digits in either case");
    }

    @Test
    void aVerifiedButMalformedNotificationIsRejectedSayingWhatNeverARuntimeException() {
        String item = "{\"type\": \"contact\", \"id\": \"c1\", \"updated_at\": 1}";
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("not JSON", "{");
        bodies.put("empty", "");
        bodies.put("a JSON array", "[{\"id\": \"n1\"}]");
        bodies.put("a JSON number", "42");
        bodies.put("no id", "{\"topic\": \"contact.user.updated\", \"created_at\": 1, \"data\": {\"item\": " + item + "}}");
        bodies.put("numeric id", "{\"id\": 7, \"topic\": \"contact.user.updated\", \"created_at\": 1, \"data\": {\"item\": "
                + item + "}}");
        bodies.put("topic a list", "{\"id\": \"n1\", \"topic\": [\"contact.user.updated\"], \"created_at\": 1,"
                + " \"data\": {\"item\": " + item + "}}");
        bodies.put("created_at a string", "{\"id\": \"n1\", \"topic\": \"contact.user.updated\", \"created_at\": \"now\","
                + " \"data\": {\"item\": " + item + "}}");
        bodies.put("created_at in year 10000", "{\"id\": \"n1\", \"topic\": \"contact.user.updated\","
                + " \"created_at\": 253402300800, \"data\": {\"item\": " + item + "}}");
        bodies.put("no created_at", "{\"id\": \"n1\", \"topic\": \"contact.user.updated\", \"data\": {\"item\": " + item + "}}");
        bodies.put("item a string", "{\"id\": \"n1\", \"topic\": \"contact.user.updated\", \"created_at\": 1,"
                + " \"data\": {\"item\": \"c1\"}}");
        bodies.put("no data", "{\"id\": \"n1\", \"topic\": \"contact.user.updated\", \"created_at\": 1}");
        bodies.put("a contact without an id", "{\"id\": \"n1\", \"topic\": \"contact.user.updated\", \"created_at\": 1,"
                + " \"data\": {\"item\": {\"type\": \"contact\", \"updated_at\": 1}}}");
        bodies.put("an item updated at a time that is not one", "{\"id\": \"n1\", \"topic\": \"contact.user.updated\","
                + " \"created_at\": 1, \"data\": {\"item\": {\"type\": \"contact\", \"id\": \"c1\", \"updated_at\": 1.5}}}");
        for (var body : bodies.entrySet()) {
            var refused = assertThrows(ConnectorException.Rejected.class, () -> connector.parseWebhook(app,
                    new WebhookRequest(Map.of(), bytes(body.getValue()))), body.getKey());
            assertFalse(refused.getMessage().contains("null"), body.getKey() + ": " + refused.getMessage());
        }
        byte[] invalidUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xc3, '"', '}'};
        assertThrows(ConnectorException.Rejected.class,
                () -> connector.parseWebhook(app, new WebhookRequest(Map.of(), invalidUtf8)));
    }
}
