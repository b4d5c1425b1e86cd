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

class FakeIntercomTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-20T09:00:00Z"));
    private final FakeIntercom intercom = (FakeIntercom) FakeIntercom.start("tok").clock(clock);
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        intercom.close();
    }

    private HttpResponse<String> search(String resource, String query) throws Exception {
        return client.send(HttpRequest.newBuilder(intercom.baseUri().resolve("/" + resource + "/search"))
                .header("Authorization", "Bearer tok")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": " + query + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String compare(String field, String operator, Instant value) {
        return "{\"field\": \"" + field + "\", \"operator\": \"" + operator + "\", \"value\": " + value.getEpochSecond()
                + "}";
    }

    @Test
    void contactsCompareTimesByDayAsIntercomDocumentsAndConversationsBySecond() throws Exception {
        String nine = intercom.create("contact", Map.of("email", "nine@example.com"));
        String nineConversation = intercom.create("conversation", Map.of());
        clock.set(Instant.parse("2026-11-20T10:00:00Z"));
        String ten = intercom.create("contact", Map.of("email", "ten@example.com"));
        clock.set(Instant.parse("2026-11-21T00:00:00Z"));
        String nextDay = intercom.create("contact", Map.of("email", "next@example.com"));

        Instant half = Instant.parse("2026-11-20T09:30:00Z");
        search("contacts", compare("created_at", ">", half));
        assertEquals(List.of(nextDay), intercom.servedIds(), "> 09:30 on the 20th means from the 21st");
        search("contacts", compare("created_at", ">", half.minusSeconds(86_400)));
        assertEquals(List.of(nextDay, nine, ten, nextDay), intercom.servedIds());
        search("conversations", compare("created_at", "<", half));
        assertEquals(nineConversation, intercom.servedIds().get(4));
    }

    @Test
    void queriesCombineWithAndOrAndAnythingElseIsA400() throws Exception {
        String old = intercom.create("conversation", Map.of());
        clock.set(clock.instant().plusSeconds(100));
        intercom.update("conversation", old, Map.of("state", "closed"));
        String fresh = intercom.create("conversation", Map.of());
        Instant between = clock.instant().minusSeconds(50);
        var both = search("conversations", "{\"operator\": \"AND\", \"value\": [" + compare("created_at", ">", between)
                + ", " + compare("updated_at", ">", between) + "]}");
        assertEquals(200, both.statusCode(), both.body());
        assertEquals(List.of(fresh), intercom.servedIds());
        search("conversations", "{\"operator\": \"OR\", \"value\": [" + compare("created_at", ">", between)
                + ", " + compare("updated_at", ">", between) + "]}");
        assertEquals(List.of(fresh, old, fresh), intercom.servedIds());
        for (String bad : List.of(compare("email", ">", between), compare("created_at", "=", between),
                "{\"operator\": \"AND\", \"value\": []}", "{\"field\": \"created_at\", \"operator\": \">\", \"value\": \"x\"}",
                "{\"operator\": \"AND\", \"value\": [{\"operator\": \"OR\", \"value\": [{\"operator\": \"AND\", \"value\": ["
                        + compare("created_at", ">", between) + "]}]}]}")) {
            var refused = search("conversations", bad);
            assertEquals(400, refused.statusCode(), bad);
            assertTrue(refused.body().contains("invalid_query"), refused.body());
        }
    }

    private HttpResponse<String> write(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(intercom.baseUri().resolve(path)).header("Authorization", "Bearer tok")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void contactWritesAreStoredListedAndRefusedAsIntercomRefusesThem() throws Exception {
        var created = write("POST", "/contacts", "{\"email\": \"ann@example.com\", \"external_id\": \"cus_1\"}");
        assertEquals(200, created.statusCode());
        String id = intercom.writes().get(0).id();
        assertEquals("user", intercom.object("contact", id).get("role"));
        assertEquals(clock.instant().getEpochSecond(), intercom.object("contact", id).get("created_at"));
        search("contacts", compare("created_at", ">", clock.instant().minusSeconds(86_400 * 2)));
        assertEquals(List.of(id), intercom.servedIds(), "a written contact is searchable");

        var duplicate = write("POST", "/contacts", "{\"email\": \"other@example.com\", \"external_id\": \"cus_1\"}");
        assertEquals(409, duplicate.statusCode());
        assertTrue(duplicate.body().contains("A contact matching those details already exists with id=" + id),
                duplicate.body());
        String other = intercom.create("contact", Map.of("email", "bob@example.com"));
        assertEquals(409, write("PUT", "/contacts/" + other, "{\"email\": \"ann@example.com\"}").statusCode());

        clock.set(clock.instant().plusSeconds(60));
        assertEquals(200, write("PUT", "/contacts/" + id, "{\"name\": \"Ann\", \"email\": \"ann@example.com\"}")
                .statusCode());
        assertEquals("Ann", intercom.object("contact", id).get("name"));
        assertEquals(clock.instant().getEpochSecond(), intercom.object("contact", id).get("updated_at"));
        assertEquals(404, write("PUT", "/contacts/nope", "{}").statusCode());
        assertEquals(400, write("POST", "/contacts", "\"x\"").statusCode());
        assertEquals(List.of("POST " + id, "PUT " + id),
                intercom.writes().stream().map(w -> w.method() + " " + w.id()).toList());
    }
}
