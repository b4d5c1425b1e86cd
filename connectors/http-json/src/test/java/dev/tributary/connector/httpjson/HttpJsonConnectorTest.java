package dev.tributary.connector.httpjson;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.testkit.ConnectorContract;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.connector.testkit.Pagination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpJsonConnectorTest {

    private static final List<String> ALL_IDS = IntStream.rangeClosed(1, 23).mapToObj(i -> "item-" + i).toList();

    private final FakeSaasServer server = FakeSaasServer.start().putMany("items", "item", 23);
    private final HttpJsonConnector connector = new HttpJsonConnector(new HttpJsonConfiguration(true), Clock.systemUTC());

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, Object> config(String style, Map<String, Object> extra) {
        Map<String, Object> pagination = new HashMap<>(Map.of("style", style, "page_size", 5));
        Map<String, Object> config = new HashMap<>(Map.of(
                "base_url", server.baseUri().toString(),
                "pagination", pagination,
                "records_path", style.equals("link_header") ? "" : "/data",
                "updated_at_field", "updated_at",
                "incremental_param", "updated_since",
                "collections", List.of(Map.of("collection_key", "items", "path", "items"))));
        config.putAll(extra);
        return config;
    }

    private AppContext app(Map<String, Object> config, Map<String, String> credentials) {
        return new AppContext("acme", "api", config, credentials, null);
    }

    @ParameterizedTest
    @EnumSource(Pagination.class)
    void fullSyncWalksEveryPageOfEveryPaginationStyle(Pagination style) throws Exception {
        server.paginate("items", style);
        var app = app(config(style.name().toLowerCase(), Map.of()), Map.of());
        var fetched = ConnectorContract.assertFullPaging(connector, app, "items", ALL_IDS, 5);
        assertTrue(fetched.entities().get(0).rawPayload().contains("\"name\":\"item 1\""));
        assertNotNull(fetched.entities().get(0).sourceUpdatedAt());
        ConnectorContract.assertResumesFromCursor(connector, app, "items");
    }

    @Test
    void incrementalFetchAsksOnlyForWhatChangedSince() throws Exception {
        Instant later = Instant.now().plusSeconds(3600);
        server.clock(Clock.fixed(later, ZoneOffset.UTC))
                .put("items", "item-4", Map.of("name", "renamed", "status", "active"))
                .put("items", "item-30", Map.of("name", "new", "status", "active"));
        ConnectorContract.assertIncremental(connector, app(config("offset", Map.of()), Map.of()), "items",
                later.minusSeconds(1), List.of("item-4", "item-30"));
        assertTrue(server.requests().stream().anyMatch(r -> r.contains("updated_since=")));
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriableAndResumeTheSamePage() throws Exception {
        var app = app(config("cursor", Map.of()), Map.of());
        server.paginate("items", Pagination.CURSOR);
        ConnectorContract.assertRateLimitBackoff(connector, app, "items", server, Duration.ofSeconds(7));
        ConnectorContract.assertTransientOn5xx(connector, app, "items", server);
    }

    @Test
    void clientErrorsArePermanentAndAuthFailuresSaySo() throws Exception {
        var app = app(config("offset", Map.of()), Map.of());
        server.failNext(1, 400);
        var rejected = assertThrows(ConnectorException.Rejected.class,
                () -> ConnectorContract.fetchAll(connector, app, FetchRequest.full("items")));
        assertTrue(!rejected.retriable());
        server.requireBearer("right");
        var bearerApp = app(config("offset", Map.of("auth", Map.of("type", "bearer"))), Map.of("token", "wrong"));
        assertThrows(ConnectorException.AuthRevoked.class,
                () -> ConnectorContract.fetchAll(connector, bearerApp, FetchRequest.full("items")));
        var rightApp = app(config("offset", Map.of("auth", Map.of("type", "bearer"))), Map.of("token", "right"));
        assertEquals(23, ConnectorContract.fetchAll(connector, rightApp, FetchRequest.full("items")).ids().size());
    }

    @Test
    void archivedPredicateSetsArchivedAtAndBadRecordsAreReportedNotFatal() throws Exception {
        server.put("items", "item-2", Map.of("name", "gone", "status", "archived"));
        var app = app(config("offset", Map.of("archived_when", Map.of("field", "status", "equals", "archived"),
                "id_field", "name")), Map.of());
        var fetched = ConnectorContract.fetchAll(connector, app, FetchRequest.full("items"));
        var archived = fetched.entities().stream().filter(e -> e.externalId().equals("gone")).findFirst().orElseThrow();
        assertNotNull(archived.archivedAt());
        assertNull(fetched.entities().stream().filter(e -> e.externalId().equals("item 1")).findFirst()
                .orElseThrow().archivedAt());

        var missingIds = app(config("offset", Map.of("id_field", "/no/such")), Map.of());
        var failed = ConnectorContract.fetchAll(connector, missingIds, FetchRequest.full("items"));
        assertEquals(0, failed.entities().size());
        assertEquals(23, failed.failures().size());
    }

    @Test
    void fetchesOneRecordById() throws Exception {
        var app = app(config("offset", Map.of()), Map.of());
        assertEquals("item-7", connector.fetchById(app, "items", "item-7").externalId());
        assertThrows(ConnectorException.NotFound.class, () -> connector.fetchById(app, "items", "nope"));
    }

    @Test
    void apiKeysGoInTheNamedHeaderOrQueryAndNeverIntoCursors() throws Exception {
        var query = app(config("offset", Map.of("auth", Map.of("type", "api_key_query", "name", "key"))),
                Map.of("api_key", "s3cret"));
        var fetched = ConnectorContract.fetchAll(connector, query, FetchRequest.full("items"));
        assertTrue(server.requests().stream().allMatch(r -> r.contains("key=s3cret")));
        fetched.pages().forEach(p -> assertTrue(p.cursor() == null || !p.cursor().contains("s3cret"), p.cursor()));
    }

    @Test
    void configErrorsArePermanentAndNameTheField() {
        ConnectorContract.assertConfigErrorIsPermanent(connector, app(Map.of(), Map.of()), "base_url");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("base_url", "ftp://x")), Map.of()), "base_url");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("sideways", Map.of()), Map.of()), "pagination.style");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("collections", List.of())), Map.of()), "collections");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("auth", Map.of("type", "bearer"))), Map.of()), "credentials.token");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("auth", Map.of("type", "api_key_header"))), Map.of("api_key", "k")),
                "auth.name");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("read_timeout_ms", "soon")), Map.of()), "read_timeout_ms");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("page_size", 50)), Map.of()), "page_size");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("auth", Map.of("type", "bearer", "token", "x"))), Map.of("token", "t")),
                "auth.token");
        ConnectorContract.assertConfigErrorIsPermanent(connector, app(config("offset", Map.of("collections",
                List.of(Map.of("collection_key", "items", "path", "items", "pth", "x")))), Map.of()), "collections[0].pth");
    }

    @Test
    void wholeNumbersBeyondTheLongRangeAreOutOfRangeNotWrappedIntoIt() {
        // 2^64 + 200 and 2^64 + 1000: their low 64 bits are 200 and 1000, in range.
        var pageSize = new HashMap<>(Map.<String, Object>of("style", "offset",
                "page_size", new java.math.BigInteger("18446744073709551816")));
        ConnectorContract.assertConfigErrorIsPermanent(connector, app(config("offset", Map.of("pagination", pageSize)),
                Map.of()), "pagination.page_size");
        ConnectorContract.assertConfigErrorIsPermanent(connector, app(config("offset", Map.of("connect_timeout_ms",
                new java.math.BigInteger("18446744073709552616"))), Map.of()), "connect_timeout_ms");
    }

    @Test
    void privateAndLoopbackAddressesAreRefusedUnlessTheOperatorAllowsThem() {
        var strict = new HttpJsonConnector(new HttpJsonConfiguration(null), Clock.systemUTC());
        for (String url : List.of(server.baseUri().toString(), "http://10.1.2.3/", "http://169.254.169.254/",
                "http://192.168.0.1/", "http://[::1]/")) {
            ConnectorContract.assertConfigErrorIsPermanent(strict,
                    app(config("offset", Map.of("base_url", url)), Map.of()), "base_url");
        }
    }

    private static final Instant LATER = Instant.parse("2031-01-01T00:00:00Z");

    /** Seven records created at {@link #LATER}, after the 23 the server starts with. */
    private List<String> putRecent() {
        server.clock(Clock.fixed(LATER, ZoneOffset.UTC)).putMany("items", "recent", 7);
        return IntStream.rangeClosed(1, 7).mapToObj(i -> "recent-" + i).toList();
    }

    private AppContext appFrom(Map<String, Object> config, Instant syncFrom) {
        return new AppContext("acme", "api", config, Map.of(), syncFrom);
    }

    @ParameterizedTest
    @EnumSource(Pagination.class)
    void syncFromGoesInCreatedAfterParamOnEveryPageRequest(Pagination style) throws Exception {
        List<String> recent = putRecent();
        server.paginate("items", style);
        var app = appFrom(config(style.name().toLowerCase(), Map.of("created_after_param", "created_since")), LATER);
        var fetched = ConnectorContract.fetchAll(connector, app, FetchRequest.full("items"));
        assertEquals(recent, fetched.ids());
        assertEquals(recent, server.servedIds(), "the API was asked for nothing older");
        assertTrue(fetched.pages().size() >= 2, "several pages: " + fetched.pages().size());
        assertTrue(server.requests().stream().allMatch(r -> r.contains("created_since=2031-01-01T00%3A00%3A00Z")),
                server.requests().toString());
    }

    @Test
    void syncFromCanBeSentAsUnixSecondsAndJoinsTheIncrementalParameter() throws Exception {
        putRecent();
        server.clock(Clock.fixed(LATER.plusSeconds(3600), ZoneOffset.UTC)).put("items", "item-3", Map.of("name", "old, changed"))
                .put("items", "recent-2", Map.of("name", "recent, changed"));
        var app = appFrom(config("offset", Map.of("created_after_param", "created_since",
                "created_after_format", "unix_seconds")), LATER.plusMillis(999));
        var fetched = ConnectorContract.fetchAll(connector, app, new FetchRequest("items", LATER.plusSeconds(60), null));
        assertEquals(List.of("recent-2"), fetched.ids());
        assertTrue(server.requests().stream().allMatch(r -> r.contains("created_since=" + LATER.getEpochSecond())
                && r.contains("updated_since=")), server.requests().toString());
        assertEquals(List.of("recent-2"), server.servedIds());
    }

    @Test
    void recordsCreatedBeforeSyncFromThatTheApiStillSendsAreDroppedByCreatedAtField() throws Exception {
        List<String> recent = putRecent();
        var app = appFrom(config("offset", Map.of("created_at_field", "created_at", "created_after_param", "unknown")),
                LATER);
        var fetched = ConnectorContract.fetchAll(connector, app, FetchRequest.full("items"));
        assertEquals(recent, fetched.ids());
        assertEquals(30, server.servedIds().size(), "this API ignores the parameter");
        assertTrue(fetched.failures().isEmpty(), "dropped records are not failures: " + fetched.failures());
        assertEquals(LATER, fetched.entities().get(0).sourceCreatedAt());
        assertEquals(30, ConnectorContract.fetchAll(connector, app(app.config(), Map.of()), FetchRequest.full("items"))
                .ids().size(), "without sync_from everything is kept");
    }

    @Test
    void nulIsDroppedAndATimePostgresqlCannotStoreFailsOnlyItsRecord() throws Exception {
        server.put("items", "item-5", Map.of("name", "a\u0000b", "tags", List.of("x\u0000")))
                .put("items", "item-6", Map.of("name", "far", "when", "+999999-01-01T00:00:00Z"))
                .put("items", "item-7", Map.of("name", "far too", "when", 253_402_300_800_000L));
        var app = app(config("offset", Map.of("updated_at_field", "when", "incremental_param", "updated_since")), Map.of());
        var fetched = ConnectorContract.fetchAll(connector, app, FetchRequest.full("items"));
        assertEquals(21, fetched.ids().size());
        String payload = fetched.entities().stream().filter(e -> e.externalId().equals("item-5")).findFirst()
                .orElseThrow().rawPayload();
        assertTrue(payload.contains("\"name\":\"ab\"") && payload.contains("[\"x\"]"), payload);
        assertEquals(List.of("item-6", "item-7"), fetched.failures().stream().map(f -> f.externalId()).toList());
        assertTrue(fetched.failures().stream().allMatch(f -> f.reason().startsWith("/when +")
                && f.reason().contains("lies outside the years 1 to 9999")), fetched.failures().toString());
        var refused = assertThrows(ConnectorException.Rejected.class, () -> connector.fetchById(app, "items", "item-6"));
        assertTrue(refused.getMessage().contains("/when +999999-01-01T00:00:00Z lies outside"), refused.getMessage());
    }

    @Test
    void anUnreachableApiAndAnUnusableNextPageSayWhatFailed() throws Exception {
        server.document("/weird", "{\"data\": [{\"id\": \"a\"}], \"next\": \"http://exa mple/\"}".getBytes());
        var weird = app(config("next_url", Map.of("collections", List.of(Map.of("collection_key", "weird",
                "path", "weird")))), Map.of());
        var rejected = assertThrows(ConnectorException.Rejected.class,
                () -> ConnectorContract.fetchAll(connector, weird, FetchRequest.full("weird")));
        assertEquals("the page at /weird points to a next page that is not a URL", rejected.getMessage());

        var app = app(config("offset", Map.of()), Map.of());
        server.close();
        var unreachable = assertThrows(ConnectorException.Transient.class,
                () -> ConnectorContract.fetchAll(connector, app, FetchRequest.full("items")));
        assertTrue(unreachable.getMessage().startsWith(server.baseUri() + "/items failed: ConnectException")
                && !unreachable.getMessage().contains("null"), unreachable.getMessage());
    }

    @Test
    void everyWebhookCallIsRefusedWithAReason() {
        ConnectorContract.assertReceivesNoWebhooks(connector, app(config("offset", Map.of()), Map.of()));
    }

    @Test
    void theSyncFromSettingsAreRefusedWhenMalformedNamingTheField() {
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("created_after_param", 5)), Map.of()), "created_after_param");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("created_after_param", " ")), Map.of()), "created_after_param");
        ConnectorContract.assertConfigErrorIsPermanent(connector, app(config("offset", Map.of("created_after_param",
                "since", "created_after_format", "rfc2822")), Map.of()), "created_after_format");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("created_after_format", "unix_seconds")), Map.of()), "created_after_format");
        ConnectorContract.assertConfigErrorIsPermanent(connector,
                app(config("offset", Map.of("created_at_field", true)), Map.of()), "created_at_field");
    }
}
