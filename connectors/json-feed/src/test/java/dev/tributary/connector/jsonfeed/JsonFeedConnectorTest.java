package dev.tributary.connector.jsonfeed;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.testkit.ConnectorContract;
import dev.tributary.connector.testkit.FakeSaasServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonFeedConnectorTest {

    @TempDir
    Path allowed;
    @TempDir
    Path elsewhere;

    private final FakeSaasServer server = FakeSaasServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonFeedConnector connector(boolean privateAllowed) {
        return new JsonFeedConnector(new JsonFeedConfiguration(List.of(allowed.toString()), privateAllowed), Clock.systemUTC());
    }

    private static String record(int i) {
        return "{\"permit\": \"P" + i + "\", \"ward\": " + (i % 3) + ", \"status\": \"" + (i % 10 == 0 ? "cancelled" : "issued")
                + "\", \"issued\": \"2026-01-0" + (1 + i % 9) + "T00:00:00Z\", \"_generated_at\": \"2026-11-23T00:00:00Z\"}";
    }

    private static String array(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(JsonFeedConnectorTest::record)
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static AppContext app(Map<String, Object> config) {
        return new AppContext("acme", "permits", config, Map.of(), null);
    }

    private Map<String, Object> fileConfig(Path file, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("file", file.toString(), "id_fields", List.of("permit"),
                "collection_key", "permits", "batch_size", 10, "updated_at_field", "issued",
                "ignore_fields", List.of("_generated_at")));
        config.putAll(extra);
        return config;
    }

    @Test
    void streamsARootArrayFileInBatchesAndDropsIgnoredFields() throws Exception {
        Path file = Files.writeString(allowed.resolve("permits.json"), array(25));
        var fetched = ConnectorContract.assertFullPaging(connector(false), app(fileConfig(file, Map.of())), "permits",
                IntStream.rangeClosed(1, 25).mapToObj(i -> "P" + i).toList(), 3);
        assertEquals(List.of(10, 10, 5), fetched.pages().stream().map(p -> p.entities().size()).toList());
        assertFalse(fetched.entities().get(0).rawPayload().contains("_generated_at"));
        assertNotNull(fetched.entities().get(0).sourceUpdatedAt());
        ConnectorContract.assertResumesFromCursor(connector(false), app(fileConfig(file, Map.of())), "permits");
    }

    @Test
    void readsNestedArraysJsonLinesGzipAndCompositeIds() throws Exception {
        Path nested = Files.writeString(allowed.resolve("nested.json"),
                "{\"meta\": {\"count\": 5}, \"result\": {\"records\": " + array(5) + "}, \"tail\": [1, 2]}");
        var fromNested = ConnectorContract.fetchAll(connector(false),
                app(fileConfig(nested, Map.of("records_path", "/result/records"))), FetchRequest.full("permits"));
        assertEquals(5, fromNested.ids().size());

        Path lines = Files.writeString(allowed.resolve("permits.jsonl"), IntStream.rangeClosed(1, 7)
                .mapToObj(JsonFeedConnectorTest::record).collect(Collectors.joining("\n", "", "\n\n")));
        var fromLines = ConnectorContract.fetchAll(connector(false),
                app(fileConfig(lines, Map.of("format", "jsonl", "id_fields", List.of("permit", "ward")))),
                FetchRequest.full("permits"));
        assertEquals("P1:1", fromLines.ids().get(0));
        assertFalse(fromLines.entities().get(0).rawPayload().contains("_generated_at"));

        var gzipped = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(array(12).getBytes(StandardCharsets.UTF_8));
        }
        server.document("/feeds/permits.json.gz", gzipped.toByteArray());
        var fromUrl = ConnectorContract.fetchAll(connector(true), app(Map.of("url",
                server.baseUri() + "/feeds/permits.json.gz", "id_fields", List.of("permit"), "collection_key", "permits")),
                FetchRequest.full("permits"));
        assertEquals(12, fromUrl.ids().size());
    }

    @Test
    void archivedPredicateAndRecordsWithoutIdsAreReported() throws Exception {
        Path file = Files.writeString(allowed.resolve("mixed.json"), "[" + record(10) + ", {\"ward\": 1}, " + record(11) + "]");
        var fetched = ConnectorContract.fetchAll(connector(false), app(fileConfig(file, Map.of("archived_when",
                Map.of("field", "status", "equals", "cancelled")))), FetchRequest.full("permits"));
        assertEquals(List.of("P10", "P11"), fetched.ids());
        assertNotNull(fetched.entities().get(0).archivedAt());
        assertEquals(1, fetched.failures().size());
    }

    @Test
    void filesOutsideTheAllowListAndPrivateUrlsAreRefused() throws Exception {
        Path outside = Files.writeString(elsewhere.resolve("secret.json"), array(1));
        ConnectorContract.assertConfigErrorIsPermanent(connector(false), app(fileConfig(outside, Map.of())), "file");
        Path link = Files.createSymbolicLink(allowed.resolve("link.json"), outside);
        ConnectorContract.assertConfigErrorIsPermanent(connector(false), app(fileConfig(link, Map.of())), "file");
        ConnectorContract.assertConfigErrorIsPermanent(connector(false),
                app(fileConfig(allowed.resolve("../" + elsewhere.getFileName() + "/secret.json"), Map.of())), "file");
        ConnectorContract.assertConfigErrorIsPermanent(connector(false),
                app(Map.of("url", server.baseUri() + "/feed.json")), "url");
        ConnectorContract.assertConfigErrorIsPermanent(connector(false), app(Map.of()), "url");
        ConnectorContract.assertConfigErrorIsPermanent(connector(false),
                app(fileConfig(outside, Map.of("batch_size", 0))), "batch_size");
        ConnectorContract.assertConfigErrorIsPermanent(connector(false),
                app(fileConfig(outside, Map.of("format", "xml"))), "format");
    }

    @Test
    void rateLimitsCarryTheServersRetryAfter() {
        server.rateLimitNext(1, 7);
        var config = Map.<String, Object>of("url", server.baseUri() + "/feed.json", "collection_key", "permits");
        var limited = assertThrows(ConnectorException.RateLimited.class,
                () -> connector(true).fetch(app(config), FetchRequest.full("permits")));
        assertTrue(limited.retriable());
        assertEquals(java.time.Duration.ofSeconds(7), limited.retryAfter());
    }

    @Test
    void serverErrorsAreTransientAndMissingFeedsPermanent() {
        server.failNext(1, 503);
        var config = Map.<String, Object>of("url", server.baseUri() + "/feed.json", "collection_key", "permits");
        assertThrows(ConnectorException.Transient.class,
                () -> connector(true).fetch(app(config), FetchRequest.full("permits")));
        var missing = assertThrows(ConnectorException.NotFound.class,
                () -> connector(true).fetch(app(config), FetchRequest.full("permits")));
        assertTrue(!missing.retriable());
    }

    /** A permit created {@code day} days into 2026. */
    private static String created(int i, int day) {
        return "{\"permit\": \"P" + i + "\", \"created\": \"2026-01-" + String.format("%02d", day) + "T00:00:00Z\"}";
    }

    @Test
    void recordsCreatedBeforeSyncFromAreSkippedWhileStreamingNotFailed() throws Exception {
        String records = IntStream.rangeClosed(1, 25).mapToObj(i -> created(i, i <= 20 ? 1 : 2))
                .collect(Collectors.joining(",", "[", "]"));
        Path file = Files.writeString(allowed.resolve("created.json"), records);
        Instant syncFrom = Instant.parse("2026-01-02T00:00:00Z");
        var app = new AppContext("acme", "permits", fileConfig(file, Map.of("created_at_field", "created")),
                Map.of(), syncFrom);
        var fetched = ConnectorContract.fetchAll(connector(false), app, FetchRequest.full("permits"));
        assertEquals(List.of("P21", "P22", "P23", "P24", "P25"), fetched.ids());
        assertTrue(fetched.failures().isEmpty(), fetched.failures().toString());
        assertEquals(List.of(0, 0, 5), fetched.pages().stream().map(p -> p.entities().size()).toList(),
                "skipped records count towards a batch, so pages keep coming");
        assertEquals(syncFrom, fetched.entities().get(0).sourceCreatedAt());
        var resumed = ConnectorContract.fetchAll(connector(false), app,
                new FetchRequest("permits", null, fetched.pages().get(1).cursor()));
        assertEquals(fetched.ids(), resumed.ids());

        Path lines = Files.writeString(allowed.resolve("created.jsonl"), created(1, 1) + "\n" + created(2, 3) + "\n");
        var fromLines = ConnectorContract.fetchAll(connector(false), new AppContext("acme", "permits",
                fileConfig(lines, Map.of("format", "jsonl", "created_at_field", "/created")), Map.of(), syncFrom),
                FetchRequest.full("permits"));
        assertEquals(List.of("P2"), fromLines.ids());
        assertEquals(25, ConnectorContract.fetchAll(connector(false), app(app.config()), FetchRequest.full("permits"))
                .ids().size(), "without sync_from every record is kept");
    }

    @Test
    void nulIsDroppedAndATimePostgresqlCannotStoreFailsOnlyItsRecord() throws Exception {
        Path file = Files.writeString(allowed.resolve("odd.json"), "[{\"permit\": \"P1\", \"owner\": \"A\\u0000B\"},"
                + " {\"permit\": \"P2\", \"issued\": \"+999999-01-01T00:00:00Z\"},"
                + " {\"permit\": \"P3\", \"created\": 253402300800000}, {\"permit\": \"P4\"}]");
        var fetched = ConnectorContract.fetchAll(connector(false), app(fileConfig(file, Map.of("created_at_field",
                "created"))), FetchRequest.full("permits"));
        assertEquals(List.of("P1", "P4"), fetched.ids());
        assertTrue(fetched.entities().get(0).rawPayload().contains("\"owner\":\"AB\""));
        assertEquals(List.of("P2", "P3"), fetched.failures().stream().map(f -> f.externalId()).toList());
        assertTrue(fetched.failures().get(0).reason().startsWith("/issued +999999-01-01T00:00:00Z lies outside"));
        assertTrue(fetched.failures().get(1).reason().startsWith("/created +8031969-"), fetched.failures().get(1).reason());
    }

    @Test
    void aFeedThatCannotBeReachedOrBreaksOffSaysWhatFailedNeverNull() throws Exception {
        var config = Map.<String, Object>of("url", server.baseUri() + "/feed.json?key=s3cret", "id_fields",
                List.of("permit"), "collection_key", "permits", "batch_size", 10);
        server.document("/feed.json", array(50).getBytes(StandardCharsets.UTF_8)).breakOffAfter(array(15).length());
        var broken = assertThrows(ConnectorException.Transient.class,
                () -> ConnectorContract.fetchAll(connector(true), app(config), FetchRequest.full("permits")));
        assertTrue(broken.getMessage().startsWith("the feed " + server.baseUri() + "/feed.json broke off after 15 records: ")
                && !broken.getMessage().contains("null") && !broken.getMessage().contains("s3cret"), broken.getMessage());

        server.close();
        var refused = assertThrows(ConnectorException.Transient.class,
                () -> connector(true).fetch(app(config), FetchRequest.full("permits")));
        assertTrue(refused.retriable());
        assertTrue(refused.getMessage().startsWith("the feed " + server.baseUri() + "/feed.json could not be downloaded:"
                + " ConnectException"), refused.getMessage());
        assertFalse(refused.getMessage().contains("null") || refused.getMessage().contains("s3cret"), refused.getMessage());
    }

    /** {@code text} as UTF-8 with its first {@code '~'} replaced by {@code bad}, bytes that are not UTF-8. */
    private static byte[] withBytes(String text, byte... bad) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int at = text.indexOf('~');
        var out = new ByteArrayOutputStream();
        out.write(utf8, 0, at);
        out.writeBytes(bad);
        out.write(utf8, at + 1, utf8.length - at - 1);
        return out.toByteArray();
    }

    @Test
    void aFeedThatIsNotUtf8OrNotJsonFailsForGoodInsteadOfBeingRetried() throws Exception {
        String twelve = array(11).replace("]", ", {\"permit\": \"P12\", \"owner\": \"A~B\"}]");
        server.document("/bad-byte.json", withBytes(twelve, (byte) 0xff));
        server.document("/page.html", "<html><body>Maintenance</body></html>".getBytes(StandardCharsets.UTF_8));
        var config = new HashMap<String, Object>(Map.of("id_fields", List.of("permit"), "collection_key", "permits",
                "batch_size", 10));
        config.put("url", server.baseUri() + "/bad-byte.json");
        var badByte = assertThrows(ConnectorException.Rejected.class,
                () -> ConnectorContract.fetchAll(connector(true), app(config), FetchRequest.full("permits")));
        assertFalse(badByte.retriable(), "the same bytes come back on every attempt");
        assertTrue(badByte.getMessage().startsWith("the feed " + server.baseUri()
                + "/bad-byte.json is not valid UTF-8 JSON after 11 records: "), badByte.getMessage());
        config.put("url", server.baseUri() + "/page.html");
        var notJson = assertThrows(ConnectorException.Rejected.class,
                () -> connector(true).fetch(app(config), FetchRequest.full("permits")));
        assertTrue(notJson.getMessage().startsWith("the feed " + server.baseUri() + "/page.html is not valid UTF-8"
                + " JSON at its start: "), notJson.getMessage());

        Path lines = Files.write(allowed.resolve("bad.jsonl"), withBytes(record(1) + "\n{\"permit\": \"P~\"}\n",
                (byte) 0xc0, (byte) 0x80)); // an overlong NUL: refused, never read as another character
        var badLine = assertThrows(ConnectorException.Rejected.class, () -> ConnectorContract.fetchAll(connector(false),
                app(fileConfig(lines, Map.of("format", "jsonl"))), FetchRequest.full("permits")));
        assertTrue(badLine.getMessage().startsWith("the feed " + lines + " is not valid UTF-8 JSON after ")
                && badLine.getMessage().endsWith(": it holds bytes that are not UTF-8"), badLine.getMessage());

        Path cut = Files.writeString(allowed.resolve("cut.json"), "[" + record(1) + ", " + record(2));
        assertThrows(ConnectorException.Transient.class, () -> ConnectorContract.fetchAll(connector(false),
                app(fileConfig(cut, Map.of())), FetchRequest.full("permits")), "a document cut short may be a download"
                + " that broke: worth another attempt");
    }

    @Test
    void everyWebhookCallIsRefusedWithAReason() {
        ConnectorContract.assertReceivesNoWebhooks(connector(false), app(Map.of("url", "https://example.org/f.json")));
        ConnectorContract.assertDestinationDeclared(connector(false));
    }

    @Test
    void settingsItDoesNotKnowOrMalformedOnesAreRefusedNamingThem() throws Exception {
        Path file = Files.writeString(allowed.resolve("one.json"), array(1));
        ConnectorContract.assertConfigErrorIsPermanent(connector(false),
                app(fileConfig(file, Map.of("created_at_field", 7))), "created_at_field");
        ConnectorContract.assertConfigErrorIsPermanent(connector(false),
                app(fileConfig(file, Map.of("created_at_field", ""))), "created_at_field");
        ConnectorContract.assertConfigErrorIsPermanent(connector(false),
                app(fileConfig(file, Map.of("created_after", "issued"))), "created_after");
        ConnectorContract.assertConfigErrorIsPermanent(connector(false), app(fileConfig(file,
                Map.of("archived_when", Map.of("field", "status", "equals", "x", "unless", "y")))), "archived_when.unless");
    }
}
