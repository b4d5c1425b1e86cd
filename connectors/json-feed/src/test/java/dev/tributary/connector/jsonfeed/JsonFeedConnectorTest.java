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
        return new JsonFeedConnector(new JsonFeedPolicy(List.of(allowed.toString()), privateAllowed), Clock.systemUTC());
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
}
