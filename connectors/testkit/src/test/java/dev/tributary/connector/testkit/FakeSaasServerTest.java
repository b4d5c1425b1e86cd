package dev.tributary.connector.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeSaasServerTest {

    private final FakeSaasServer server = FakeSaasServer.start().putMany("items", "item", 25);
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : server.baseUri().resolve(pathOrUrl);
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int count(String body) {
        return body.split("\"id\"", -1).length - 1;
    }

    @Test
    void offsetAndPageNumberPagesEndWithAnEmptyPage() throws Exception {
        assertEquals(10, count(get("/items?offset=0&limit=10").body()));
        assertEquals(5, count(get("/items?offset=20&limit=10").body()));
        assertEquals(0, count(get("/items?offset=30&limit=10").body()));
        server.paginate("items", Pagination.PAGE_NUMBER);
        assertEquals(5, count(get("/items?page=3&per_page=10").body()));
    }

    @Test
    void cursorLinkHeaderAndNextUrlPagesSayWhereTheNextPageIs() throws Exception {
        server.paginate("items", Pagination.CURSOR);
        assertTrue(get("/items?limit=10").body().contains("\"next_cursor\":\"10\""));
        assertTrue(get("/items?limit=10&cursor=20").body().contains("\"next_cursor\":null"));

        server.paginate("items", Pagination.LINK_HEADER);
        var first = get("/items?per_page=10");
        assertTrue(first.body().startsWith("["));
        String link = first.headers().firstValue("Link").orElseThrow();
        assertTrue(link.endsWith("; rel=\"next\"") && link.contains("page=2"), link);
        assertTrue(get("/items?per_page=10&page=3").headers().firstValue("Link").isEmpty());

        server.paginate("items", Pagination.NEXT_URL);
        String body = get("/items?limit=20").body();
        String next = body.substring(body.indexOf("\"next\":\"") + 8, body.lastIndexOf('"'));
        assertEquals(5, count(get(next).body()));
    }

    @Test
    void updatedSinceReturnsOnlyWhatChangedAndRecordsCanBeFetchedById() throws Exception {
        Instant later = Instant.now().plusSeconds(3600);
        server.clock(Clock.fixed(later, ZoneOffset.UTC)).put("items", "item-3", Map.of("name", "changed"));
        String changed = get("/items?limit=100&updated_since=" + later.minusSeconds(1)).body();
        assertEquals(1, count(changed));
        assertTrue(changed.contains("changed"));
        assertEquals(200, get("/items/item-3").statusCode());
        server.remove("items", "item-3");
        assertEquals(404, get("/items/item-3").statusCode());
    }

    @Test
    void createdSinceKeepsOutWhatWasCreatedBeforeAndAChangeKeepsTheCreationTime() throws Exception {
        Instant later = Instant.now().plusSeconds(3600);
        server.clock(Clock.fixed(later, ZoneOffset.UTC)).put("items", "new-1", Map.of("name", "new"))
                .put("items", "item-2", Map.of("name", "changed, not new"));
        String iso = get("/items?limit=100&created_since=" + later).body();
        assertEquals(1, count(iso));
        assertTrue(iso.contains("\"new-1\""), iso);
        assertEquals(1, count(get("/items?limit=100&created_since=" + later.getEpochSecond()).body()), "Unix seconds");
        assertEquals(List.of("new-1", "new-1"), server.servedIds());
        assertEquals(400, get("/items?created_since=yesterday").statusCode());
    }

    @Test
    void injectsRateLimitsFailuresAuthAndSlowness() throws Exception {
        server.rateLimitNext(1, 7);
        var limited = get("/items");
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElseThrow());
        server.failNext(2, 502);
        assertEquals(502, get("/items").statusCode());
        assertEquals(502, get("/items").statusCode());
        assertEquals(200, get("/items").statusCode());

        server.requireBearer("tok");
        assertEquals(401, get("/items").statusCode());
        assertEquals(200, client.send(HttpRequest.newBuilder(server.baseUri().resolve("/items"))
                .header("Authorization", "Bearer tok").build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        server.delay(Duration.ofMillis(300));
        long started = System.nanoTime();
        get("/items/item-1");
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(300).toNanos());
        assertTrue(server.requests().contains("GET /items/item-1"), server.requests().toString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.baseUri().resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void writesCreateReplaceAndMergeRecordsThatTheListThenServes() throws Exception {
        var created = send("POST", "/contacts", "{\"email\": \"a@example.com\", \"score\": 12345678901234567890,"
                + " \"ratio\": 0.10, \"id\": \"ignored\"}");
        assertEquals(201, created.statusCode());
        assertTrue(created.body().contains("\"id\":\"w-1\""), created.body());
        assertEquals(Map.of("email", "a@example.com", "score", new java.math.BigInteger("12345678901234567890"),
                "ratio", new java.math.BigDecimal("0.10")), server.find("contacts", "w-1").orElseThrow().fields());
        assertTrue(get("/contacts").body().contains("a@example.com"), "a created record is listed");

        assertEquals(200, send("PATCH", "/contacts/w-1", "{\"name\": \"Ann\"}").statusCode());
        assertEquals("a@example.com", server.find("contacts", "w-1").orElseThrow().fields().get("email"), "merged");
        assertEquals(200, send("PUT", "/contacts/w-1", "{\"name\": \"Ann B\"}").statusCode());
        assertEquals(Map.of("name", "Ann B"), server.find("contacts", "w-1").orElseThrow().fields(), "replaced");

        assertEquals(404, send("PUT", "/contacts/nope", "{}").statusCode());
        assertEquals(400, send("POST", "/contacts", "[1]").statusCode());
        assertEquals(405, send("DELETE", "/contacts/w-1", "").statusCode());
        assertEquals(List.of("POST /contacts w-1", "PATCH /contacts/w-1 w-1", "PUT /contacts/w-1 w-1"),
                server.writes().stream().map(w -> w.method() + " " + w.path() + " " + w.id()).toList());
        assertEquals(Map.of("name", "Ann B"), server.writes().get(2).body());
    }

    @Test
    void writesGetTheInjectedFailuresAndAnEncodedIdIsOneSegment() throws Exception {
        server.put("contacts", "a/b c", Map.of("name", "x"));
        server.requireBearer("tok");
        assertEquals(401, send("POST", "/contacts", "{}").statusCode());
        server.requireBearer(null).rateLimitNext(1, 3);
        assertEquals(429, send("POST", "/contacts", "{}").statusCode());
        server.failNext(1, 502);
        assertEquals(502, send("PUT", "/contacts/a%2Fb%20c", "{}").statusCode());
        assertEquals(200, send("PUT", "/contacts/a%2Fb%20c", "{\"name\": \"y\"}").statusCode());
        assertEquals("y", server.find("contacts", "a/b c").orElseThrow().fields().get("name"));
        assertEquals(1, server.writes().size(), "refused writes are not kept");
    }
}
