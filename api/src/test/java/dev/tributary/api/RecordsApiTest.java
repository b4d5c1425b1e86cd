package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.connector.testkit.SettableClock;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.entity.EntityRow;
import dev.tributary.db.entity.EntityWriter;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/apps/{app_key}/collections/{collection}/records over a real socket, on records
 * synced through the engine from fake sources: paging, filters, refusals, tenants and
 * roles, last_seen_at, and paging 10,000 rows while they are being rewritten.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-records-tests-0001";
    static final String JWT_SECRET = "jwt-secret-for-records-tests-0123456789";
    static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

    @Inject
    EmbeddedServer server;

    @Inject
    EntityWriter writer;

    @Inject
    TenantScope scope;

    private TestDatabase database;
    /** 25 items (item-5 and item-6 archived) and 3 users. */
    private final FakeSaasServer shop = FakeSaasServer.start();
    /** Globex's own source, under the same app key. */
    private final FakeSaasServer globexShop = FakeSaasServer.start().putMany("items", "globex-item", 2)
            .putMany("users", "globex-user", 1);
    /** 10,000 items. */
    private final FakeSaasServer big = FakeSaasServer.start().putMany("items", "row", 10_000).putMany("users", "u", 1);
    /** Four items, three of which it will stop having. */
    private final FakeSaasServer guarded = FakeSaasServer.start().putMany("items", "g", 4).putMany("users", "u", 1);
    /** One item last changed long ago (outside the app's sync_from, once it has one) and one recently. */
    private final SettableClock windowClock = new SettableClock(LONG_AGO);
    private final FakeSaasServer windowed = FakeSaasServer.start().clock(windowClock);
    /** A page served as written, with numbers a double cannot hold. */
    private final FakeSaasServer exact = FakeSaasServer.start();
    private String acmeRead;
    private String acmeAdmin;
    private String globexAdmin;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return ServiceSettings.of(database, ADMIN_KEY).jwtSecret(JWT_SECRET).localSources()
                .with("tributary.rate-limit.sync-triggers-per-minute", "1000")
                .with("tributary.rate-limit.requests-per-minute", "100000")
                .with("tributary.scheduler.idle-wait", "1s")
                .properties();
    }

    @BeforeAll
    void tenantsKeysAppsAndRecords() {
        for (int i = 1; i <= 25; i++) {
            shop.put("items", "item-" + String.format("%02d", i), Map.of("name", "item " + i, "n", i,
                    "status", i == 5 || i == 6 ? "archived" : "active", "tags", List.of("a", "b")));
        }
        shop.putMany("users", "user", 3);
        windowed.put("items", "old", Map.of("name", "old")).put("users", "u-1", Map.of("name", "u"));
        windowClock.set(Instant.now());
        windowed.put("items", "new", Map.of("name", "new"));
        exact.document("/exact", ("{\"data\": [{\"id\": \"n-1\", \"updated_at\": \"2026-01-01T00:00:00Z\","
                + " \"amount\": 0.1000000000000000055511, \"big\": 12345678901234567890123, \"huge\": 1e400,"
                + " \"nested\": {\"list\": [1, 2.50, null, true, \"x\\u00e9\"]}}], \"next\": null}")
                .getBytes(StandardCharsets.UTF_8));

        for (String tenant : List.of("acme", "globex")) {
            http().createTenant(ADMIN_KEY, tenant);
        }
        acmeRead = http().createApiKey(ADMIN_KEY, "acme", "sync:read");
        acmeAdmin = http().createApiKey(ADMIN_KEY, "acme", "sync:admin");
        globexAdmin = http().createApiKey(ADMIN_KEY, "globex", "sync:admin");
        createApp(acmeAdmin, "acme", app("shop", shop, ""));
        createApp(acmeAdmin, "acme", app("big", big, ", \"pagination\": {\"style\": \"offset\", \"page_size\": 500}"));
        createApp(acmeAdmin, "acme", app("guarded", guarded, ""));
        createApp(acmeAdmin, "acme", app("windowed", windowed, ""));
        createApp(acmeAdmin, "acme", "{\"app_key\": \"exact\", \"connector\": \"http-json\", \"name\": \"Exact\","
                + " \"config\": {\"base_url\": \"" + exact.baseUri() + "\", \"auth\": {\"type\": \"none\"},"
                + " \"pagination\": {\"style\": \"next_url\", \"next_path\": \"/next\"},"
                + " \"collections\": [{\"collection_key\": \"numbers\", \"path\": \"exact\"}]}}");
        createApp(globexAdmin, "globex", app("shop", globexShop, ""));
        createApp(globexAdmin, "globex", app("ledger", globexShop, ""));
        for (String appKey : List.of("shop", "big", "guarded", "windowed", "exact")) {
            http().syncToCompletion(acmeAdmin, "acme", "{\"app_key\": \"" + appKey + "\", \"mode\": \"full\"}");
        }
        http().syncToCompletion(globexAdmin, "globex", "{\"app_key\": \"shop\", \"mode\": \"full\"}");
    }

    @AfterAll
    void stopSources() {
        for (FakeSaasServer source : List.of(shop, globexShop, big, guarded, windowed, exact)) {
            source.close();
        }
    }

    // --- paging and the items -------------------------------------------------------------

    @Test
    void pagesFollowExternalIdsToTheEndWhereNextCursorIsNull() {
        List<Map<String, Object>> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            var page = page(acmeRead, "shop", "items", "limit=10" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(10, ((Number) page.get("limit")).intValue());
            assertTrue(page.containsKey("next_cursor"), "next_cursor is always present: " + page);
            List<Map<String, Object>> items = items(page);
            sizes.add(items.size());
            seen.addAll(items);
            cursor = (String) page.get("next_cursor");
        } while (cursor != null);
        assertEquals(List.of(10, 10, 5), sizes);
        assertEquals(IntStream.rangeClosed(1, 25).mapToObj(i -> "item-" + String.format("%02d", i)).toList(),
                seen.stream().map(item -> item.get("external_id")).toList());

        var first = seen.get(0);
        assertEquals(Set.of("external_id", "payload", "archived_at", "source_created_at", "source_updated_at",
                "first_seen_at", "last_seen_at", "updated_at"), first.keySet());
        var payload = (Map<?, ?>) first.get("payload");
        assertEquals("item 1", payload.get("name"));
        assertEquals(1, ((Number) payload.get("n")).intValue());
        assertEquals(List.of("a", "b"), payload.get("tags"));
        assertNull(first.get("archived_at"));
        assertSameMicrosecond(Instant.parse((String) payload.get("updated_at")),
                Instant.parse((String) first.get("source_updated_at")));
        assertNotNull(Instant.parse((String) first.get("first_seen_at")));

        var whole = page(acmeRead, "shop", "items", "");
        assertEquals(20, ((Number) whole.get("limit")).intValue(), "limit defaults to 20");
        assertEquals(20, items(whole).size());
        var exactlyAll = page(acmeRead, "shop", "items", "limit=25");
        assertEquals(25, items(exactlyAll).size());
        assertTrue(exactlyAll.containsKey("next_cursor") && exactlyAll.get("next_cursor") == null,
                "a page that ends the collection exactly has no next page: " + exactlyAll.get("next_cursor"));
        var users = page(acmeRead, "shop", "users", "");
        assertEquals(List.of("user-1", "user-2", "user-3"), items(users).stream().map(i -> i.get("external_id")).toList());
    }

    @Test
    void payloadsAreTheStoredJsonObjectsWithTheirNumbersExact() {
        var response = records(acmeRead, "exact", "numbers", "");
        assertEquals(200, response.statusCode(), response.body());
        String body = response.body();
        assertTrue(body.contains("0.1000000000000000055511"), body);
        assertTrue(body.contains("12345678901234567890123"), body);
        assertTrue(body.contains("1" + "0".repeat(400)), "1e400 in full, as jsonb keeps it: " + body);
        var payload = (Map<?, ?>) items(HttpProbe.json(response)).get(0).get("payload");
        assertEquals(Map.of("list", java.util.Arrays.asList(1, 2.5, null, true, "xé")), payload.get("nested"));
    }

    @Test
    void modifiedAfterListsOnlyRowsWrittenAfterThatTime() throws Exception {
        Instant before = instant("SELECT max(updated_at) FROM tributary.entities"
                + " WHERE tenant_id = 'acme' AND app_key = 'shop' AND collection_key = 'users'");
        shop.put("users", "user-2", Map.of("name", "renamed"));
        http().syncToCompletion(acmeAdmin, "acme", "{\"app_key\": \"shop\", \"collection\": \"users\", \"mode\": \"full\"}");

        var changed = page(acmeRead, "shop", "users", "modified_after=" + before);
        assertEquals(List.of("user-2"), ids(changed));
        assertEquals("renamed", ((Map<?, ?>) items(changed).get(0).get("payload")).get("name"));
        String offset = before.atOffset(java.time.ZoneOffset.ofHours(2)).toString(); // +02:00, sent as %2B02:00
        assertEquals(List.of("user-2"), ids(page(acmeRead, "shop", "users", "modified_after=" + encode(offset))));
        assertEquals(List.of("user-1", "user-2", "user-3"),
                ids(page(acmeRead, "shop", "users", "modified_after=2000-01-01T00:00:00Z")));
        assertEquals(List.of(), ids(page(acmeRead, "shop", "users", "modified_after=9999-12-31T23:59:59Z")));
        var empty = page(acmeRead, "shop", "users", "modified_after=9999-12-31T23:59:59Z");
        assertEquals(List.of(), empty.get("items"), "an empty page still has items");

        for (String bad : List.of("yesterday", "2026-01-01", "2026-01-01T00:00:00", "+10000-01-01T00:00:00Z",
                "-0001-01-01T00:00:00Z", "2026-01-01T00:00:00 01:00", "0001-01-01T00:00:00+01:00",
                "9999-12-31T23:59:59-01:00")) {
            assertField(records(acmeRead, "shop", "users", "modified_after=" + encode(bad)), "modified_after");
        }
        var unescapedPlus = records(acmeRead, "shop", "users", "modified_after=2026-01-01T00:00:00+01:00");
        assertField(unescapedPlus, "modified_after");
        assertTrue(unescapedPlus.body().contains("%2B"), "a '+' sent as is arrives as a space: " + unescapedPlus.body());
    }

    @Test
    void idsNarrowThePageToThoseExternalIdsAndPageLikeTheRest() {
        assertEquals(List.of("item-03", "item-07"),
                ids(page(acmeRead, "shop", "items", "ids=item-07,item-03,missing,item-07")));
        var first = page(acmeRead, "shop", "items", "ids=item-07,item-03&limit=1");
        assertEquals(List.of("item-03"), ids(first));
        var second = page(acmeRead, "shop", "items", "ids=item-07,item-03&limit=1&cursor=" + first.get("next_cursor"));
        assertEquals(List.of("item-07"), ids(second));
        assertNull(second.get("next_cursor"));
        assertEquals(List.of(), ids(page(acmeRead, "shop", "items", "ids=globex-item-1")), "another tenant's id");

        String hundred = IntStream.rangeClosed(1, 100).mapToObj(i -> "x-" + i).collect(Collectors.joining(","));
        assertEquals(200, records(acmeRead, "shop", "items", "ids=" + hundred).statusCode());
        assertField(records(acmeRead, "shop", "items", "ids=" + hundred + ",x-101"), "ids");
        for (String bad : List.of("", "a,,b", "a,", ",a", "x".repeat(256))) {
            assertField(records(acmeRead, "shop", "items", "ids=" + bad), "ids");
        }
    }

    @Test
    void archivedRecordsAreListedWithArchivedAtUnlessIncludeArchivedIsFalse() {
        var all = items(page(acmeRead, "shop", "items", "limit=100"));
        Map<Object, Object> archivedAt = new LinkedHashMap<>();
        all.stream().filter(item -> item.get("archived_at") != null)
                .forEach(item -> archivedAt.put(item.get("external_id"), item.get("archived_at")));
        assertEquals(Set.of("item-05", "item-06"), archivedAt.keySet());
        assertEquals(all, items(page(acmeRead, "shop", "items", "limit=100&include_archived=true")));

        var active = ids(page(acmeRead, "shop", "items", "limit=100&include_archived=false"));
        assertEquals(23, active.size());
        assertTrue(!active.contains("item-05") && !active.contains("item-06"), active.toString());
        assertEquals(List.of(), ids(page(acmeRead, "shop", "items", "ids=item-05&include_archived=false")));
        for (String bad : List.of("TRUE", "1", "yes", "", "false ")) {
            assertField(records(acmeRead, "shop", "items", "include_archived=" + encode(bad)), "include_archived");
        }
    }

    // --- refusals -------------------------------------------------------------------------

    @Test
    void unknownAppsAre404AndUnknownOrMalformedNames400() {
        assertProblem(records(acmeRead, "nosuchapp", "items", ""), 404, "not_found");
        assertField(records(acmeRead, "shop", "orders", ""), "collection");
        assertField(records(acmeRead, "shop", "numbers", ""), "collection"); // another app's collection
        assertField(records(acmeRead, "bad.key", "items", ""), "app_key");
        assertField(records(acmeRead, "a".repeat(65), "items", ""), "app_key");
        assertField(records(acmeRead, "shop", "it%20ems", ""), "collection");
        assertField(records(acmeRead, "shop", "c".repeat(65), ""), "collection");
    }

    @Test
    void limitsOutsideOneToAHundredAndStrayParametersAre400NamingThem() {
        for (String bad : List.of("0", "101", "-1", "abc", "1.5", "", "1e2", "%2B5", "99999999999")) {
            assertField(records(acmeRead, "shop", "items", "limit=" + bad), "limit");
        }
        assertEquals(100, ((Number) page(acmeRead, "shop", "items", "limit=100").get("limit")).intValue());
        assertField(records(acmeRead, "shop", "items", "limit=5&limit=6"), "limit");
        assertField(records(acmeRead, "shop", "items", "modifed_after=2026-01-01T00:00:00Z"), "modifed_after");
        assertField(records(acmeRead, "shop", "items", "offset=10"), "offset");
        assertField(records(acmeRead, "shop", "items", "ids=a%00b"), "ids");
        assertField(records(acmeRead, "shop", "items", "ids=%FF"), "ids"); // not UTF-8: refused, not replaced
        assertField(records(acmeRead, "shop", "items", "ids=caf%C3"), "ids");
        assertField(records(acmeRead, "shop", "items", "%FF=1"), "query");
        assertEquals(List.of(), ids(page(acmeRead, "shop", "items", "ids=caf%C3%A9")), "UTF-8 is fine");
    }

    @Test
    void aCursorThisEndpointDidNotWriteIsRefusedAsInvalid() {
        String cursor = (String) page(acmeRead, "shop", "items", "limit=2").get("next_cursor");
        assertEquals(List.of("item-03", "item-04"), ids(page(acmeRead, "shop", "items", "limit=2&cursor=" + cursor)));

        String users = (String) page(acmeRead, "shop", "users", "limit=1").get("next_cursor");
        String otherApp = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("big/items/row-1".getBytes(StandardCharsets.UTF_8));
        String padded = Base64.getUrlEncoder().encodeToString("shop/items/item-2".getBytes(StandardCharsets.UTF_8));
        assertTrue(padded.endsWith("="), padded);
        String invalidUtf8 = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(new byte[]{'s', 'h', 'o', 'p', '/', 'i', 't', 'e', 'm', 's', '/', (byte) 0xff});
        String nul = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("shop/items/a\0b".getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of("!!!", cursor + "x", cursor.substring(1), "", users, otherApp, padded, invalidUtf8,
                nul, Base64.getUrlEncoder().withoutPadding().encodeToString("item-02".getBytes(StandardCharsets.UTF_8)))) {
            var response = records(acmeRead, "shop", "items", "cursor=" + encode(bad));
            assertProblem(response, 400, "invalid_cursor");
            assertEquals("cursor", ((Map<?, ?>) ((List<?>) HttpProbe.json(response).get("errors")).get(0)).get("field"));
        }
    }

    // --- tenants and roles ----------------------------------------------------------------

    @Test
    void anotherTenantsAppIs404AndEachTenantSeesOnlyItsOwnRecords() {
        assertProblem(records(acmeRead, "ledger", "items", ""), 404, "not_found");
        assertEquals(List.of("globex-item-1", "globex-item-2"), ids(page(globexAdmin, "globex", "shop", "items", "")));
        assertEquals(25, items(page(acmeRead, "shop", "items", "limit=100")).size());
        assertProblem(http().get(path("shop", "items", ""), "Authorization", "Bearer " + acmeRead,
                "X-Tenant-ID", "globex"), 403, "forbidden");
    }

    @Test
    void readingRecordsNeedsSyncRead() throws Exception {
        String noRoles = TenantApiSecurityTest.hs256(JWT_SECRET, TenantApiSecurityTest.claims("acme", List.of()).build());
        assertProblem(http().get(path("shop", "items", ""), "Authorization", "Bearer " + noRoles, "X-Tenant-ID", "acme"),
                403, "forbidden");
        String reader = TenantApiSecurityTest.hs256(JWT_SECRET,
                TenantApiSecurityTest.claims("acme", List.of("sync:read")).build());
        assertEquals(200, http().get(path("shop", "items", ""), "Authorization", "Bearer " + reader,
                "X-Tenant-ID", "acme").statusCode());
        assertProblem(http().get(path("shop", "items", ""), "X-Tenant-ID", "acme"), 401, "unauthorized");
    }

    // --- last_seen_at ---------------------------------------------------------------------

    @Test
    void anUnchangedRowIsLastSeenByTheCollectionsLastSuccessfulFullSync() throws Exception {
        var before = item(page(acmeRead, "windowed", "items", "ids=new"));
        http().syncToCompletion(acmeAdmin, "acme", "{\"app_key\": \"windowed\", \"collection\": \"items\", \"mode\": \"full\"}");
        Instant fullSync = instant("SELECT last_full_sync_at FROM tributary.sync_state"
                + " WHERE tenant_id = 'acme' AND app_key = 'windowed' AND collection_key = 'items'");

        var after = item(page(acmeRead, "windowed", "items", "ids=new"));
        assertEquals(before.get("updated_at"), after.get("updated_at"), "an unchanged row is not rewritten");
        assertEquals(fullSync, Instant.parse((String) after.get("last_seen_at")));
        assertTrue(fullSync.isAfter(Instant.parse((String) before.get("last_seen_at"))));

        // Once sync_from excludes it, full syncs no longer read "old", so they say nothing of it.
        var old = item(page(acmeRead, "windowed", "items", "ids=old"));
        assertEquals(200, http().send("PATCH", "/api/apps/windowed", "{\"sync_from\": \"2024-01-01T00:00:00Z\"}",
                "Authorization", "Bearer " + acmeAdmin, "X-Tenant-ID", "acme", "Content-Type", "application/json")
                .statusCode());
        var outside = item(page(acmeRead, "windowed", "items", "ids=old"));
        assertEquals(old.get("updated_at"), outside.get("last_seen_at"));
        assertNotEquals(fullSync.toString(), outside.get("last_seen_at"));
    }

    @Test
    void aFullSyncWhoseDeletionsTheGuardStoppedDoesNotVouchForRowsItDidNotSee() throws Exception {
        var seenBefore = item(page(acmeRead, "guarded", "items", "ids=g-2"));
        guarded.remove("items", "g-2").remove("items", "g-3").remove("items", "g-4");
        var stopped = http().send("POST", "/api/sync", "{\"app_key\": \"guarded\", \"collection\": \"items\","
                + " \"mode\": \"full\"}", "Authorization", "Bearer " + acmeAdmin, "X-Tenant-ID", "acme",
                "Content-Type", "application/json");
        String location = stopped.headers().firstValue("Location").orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed_with_errors".equals(HttpProbe.json(
                http().get(location, "Authorization", "Bearer " + acmeRead, "X-Tenant-ID", "acme")).get("status")));

        assertEquals(List.of("g-1", "g-2", "g-3", "g-4"), ids(page(acmeRead, "guarded", "items", "")), "nothing deleted");
        var unseen = item(page(acmeRead, "guarded", "items", "ids=g-2"));
        assertEquals(seenBefore.get("last_seen_at"), unseen.get("last_seen_at"),
                "the source no longer has g-2: the stopped sync did not see it");
    }

    // --- paging while rows are rewritten ------------------------------------------------

    /**
     * 10,000 rows paged 100 at a time while a writer rewrites (and archives) random batches of
     * them through the engine's write path; before each next page at least one more batch
     * has committed, so rows are rewritten both behind and ahead of the cursor. Every row is
     * seen exactly once, in order (a listing by modification time, or by offset over an
     * unordered scan, would repeat rewritten rows or miss others).
     */
    @Test
    void pagingTenThousandRowsWhileTheyAreRewrittenSeesEachRowExactlyOnce() throws Exception {
        TenantId acme = new TenantId("acme");
        AtomicInteger batches = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread rewriter = new Thread(() -> {
            try {
                while (!stop.get()) {
                    int batch = batches.get() + 1;
                    List<EntityRow> rows = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        String id = "row-" + ThreadLocalRandom.current().nextInt(1, 10_001);
                        String payload = "{\"id\": \"" + id + "\", \"name\": \"" + id + "\", \"version\": " + batch + "}";
                        rows.add(new EntityRow(id, payload, MessageDigest.getInstance("SHA-256")
                                .digest(payload.getBytes(StandardCharsets.UTF_8)),
                                batch % 3 == 0 ? Instant.now() : null, null, Instant.now()));
                    }
                    scope.writeJdbc(acme, c -> writer.write(c, "acme", "big", "items", rows, Instant.now(), false, 0));
                    batches.set(batch);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "records-test-rewriter");
        rewriter.start();

        List<String> seen = new ArrayList<>();
        int rewrittenWhenRead = 0;
        String cursor = null;
        int pages = 0;
        try {
            do {
                int committed = batches.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> batches.get() > committed || failure.get() != null);
                var page = page(acmeRead, "big", "items", "limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
                for (var item : items(page)) {
                    String id = (String) item.get("external_id");
                    var payload = (Map<?, ?>) item.get("payload");
                    assertEquals(id, payload.get("id"), "a row is read whole, as one version: " + item);
                    if (payload.containsKey("version")) {
                        rewrittenWhenRead++;
                    }
                    seen.add(id);
                }
                cursor = (String) page.get("next_cursor");
                pages++;
            } while (cursor != null);
        } finally {
            stop.set(true);
            rewriter.join();
        }
        assertNull(failure.get(), () -> "the rewriter failed: " + failure.get());

        assertEquals(100, pages);
        assertEquals(10_000, seen.size());
        assertEquals(10_000, new HashSet<>(seen).size(), "no row twice");
        assertEquals(IntStream.rangeClosed(1, 10_000).mapToObj(i -> "row-" + i).collect(Collectors.toSet()),
                new HashSet<>(seen), "every row");
        assertTrue(batches.get() >= pages, "a batch committed before every page: " + batches.get());
        assertTrue(rewrittenWhenRead > 0, "some rows were read after a rewrite");
        assertTrue(database.queryLong("SELECT count(*) FROM tributary.entities WHERE app_key = 'big'"
                + " AND raw_payload->>'version' IS NOT NULL") > rewrittenWhenRead, "and others were rewritten after being read");
    }

    // --- helpers --------------------------------------------------------------------------

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private void createApp(String key, String tenant, String body) {
        var response = http().send("POST", "/api/apps", body, "Authorization", "Bearer " + key, "X-Tenant-ID", tenant,
                "Content-Type", "application/json");
        assertEquals(201, response.statusCode(), response.body());
    }

    private static String app(String appKey, FakeSaasServer source, String extraConfig) {
        return "{\"app_key\": \"" + appKey + "\", \"connector\": \"http-json\", \"name\": \"" + appKey + "\","
                + " \"config\": {\"base_url\": \"" + source.baseUri() + "\", \"auth\": {\"type\": \"bearer\"},"
                + " \"updated_at_field\": \"updated_at\","
                + " \"archived_when\": {\"field\": \"status\", \"equals\": \"archived\"}" + extraConfig + ","
                + " \"collections\": [{\"collection_key\": \"items\", \"path\": \"items\"},"
                + " {\"collection_key\": \"users\", \"path\": \"users\"}]},"
                + " \"credentials\": {\"token\": \"tok\"}}";
    }

    private static String path(String appKey, String collection, String query) {
        return "/api/apps/" + appKey + "/collections/" + collection + "/records" + (query.isEmpty() ? "" : "?" + query);
    }

    private HttpResponse<String> records(String key, String appKey, String collection, String query) {
        return records(key, "acme", appKey, collection, query);
    }

    private HttpResponse<String> records(String key, String tenant, String appKey, String collection, String query) {
        return http().get(path(appKey, collection, query), "Authorization", "Bearer " + key, "X-Tenant-ID", tenant);
    }

    private Map<String, Object> page(String key, String appKey, String collection, String query) {
        return page(key, "acme", appKey, collection, query);
    }

    private Map<String, Object> page(String key, String tenant, String appKey, String collection, String query) {
        var response = records(key, tenant, appKey, collection, query);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return HttpProbe.json(response);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static List<Object> ids(Map<String, Object> page) {
        return items(page).stream().map(item -> item.get("external_id")).toList();
    }

    private static Map<String, Object> item(Map<String, Object> page) {
        List<Map<String, Object>> items = items(page);
        assertEquals(1, items.size(), page.toString());
        return items.get(0);
    }

    /** A timestamptz the query selects, as the administrator sees it. */
    private Instant instant(String sql) throws Exception {
        return Instant.ofEpochSecond(0).plus(database.queryLong("SELECT (extract(epoch FROM (" + sql + ")) * 1000000)::bigint"),
                java.time.temporal.ChronoUnit.MICROS);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** PostgreSQL keeps microseconds. */
    private static void assertSameMicrosecond(Instant expected, Instant actual) {
        assertTrue(Duration.between(expected, actual).abs().compareTo(Duration.ofNanos(1_000)) < 0,
                expected + " vs " + actual);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(code, HttpProbe.json(response).get("code"), response.body());
    }

    private static void assertField(HttpResponse<String> response, String field) {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        var errors = (List<?>) HttpProbe.json(response).get("errors");
        assertNotNull(errors, response.body());
        assertEquals(field, ((Map<?, ?>) errors.get(0)).get("field"), response.body());
    }
}
