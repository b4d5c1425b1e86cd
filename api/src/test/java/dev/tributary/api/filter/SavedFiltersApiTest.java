package dev.tributary.api.filter;

import dev.tributary.api.HttpProbe;
import dev.tributary.api.ServiceSettings;
import dev.tributary.api.StripeToIntercom;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.connector.testkit.SettableClock;
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

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tributary.api.HttpProbe.assertField;
import static dev.tributary.api.HttpProbe.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The saved filters API over a real socket, on records synced through the engine from the fake Stripe and a
 * fake JSON API, with Intercom as the destination: create, read, list, change and delete; matches paged by the
 * records API's cursor; every refusal; and who sees whose filters — two owners of one tenant, its admin, and
 * another tenant.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SavedFiltersApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-saved-filter-tests";
    static final String ACTIVE = "{\"predicates\": [{\"pointer\": \"/status\", \"in\": [\"active\"]}]}";
    static final String GOLD = "{\"predicates\": [{\"pointer\": \"/metadata/tier\", \"eq\": \"gold\"}]}";
    /** Seed 004's example filter_config ({status: [active], priceMin 10, priceMax 1000, category, updatedAfter}). */
    static final String SEED_EXAMPLE = "{\"predicates\": [{\"pointer\": \"/status\", \"in\": [\"active\"]},"
            + " {\"pointer\": \"/price\", \"gte\": 10, \"lte\": 1000},"
            + " {\"pointer\": \"/category\", \"eq\": \"Electronics\"}],"
            + " \"updated_after\": \"2024-01-01T00:00:00Z\"}";

    @Inject
    EmbeddedServer server;

    private TestDatabase database;
    /** The fake Stripe ({@code billing}, customers) and Intercom ({@code support}, contacts). */
    private final StripeToIntercom apps = new StripeToIntercom();
    /** Products as seed 004 has them; one last changed in 2023. */
    private final SettableClock shopClock = new SettableClock(Instant.parse("2023-06-01T00:00:00Z"));
    private final FakeSaasServer shop = FakeSaasServer.start().clock(shopClock);
    /** Customers cus_… with metadata tier gold (15 of them) or silver (10). */
    private final List<String> goldCustomers = new ArrayList<>();
    private String ann;
    private String bob;
    private String carol;
    private String reader;
    private String acmeAdmin;
    private String globexAdmin;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return apps.on(ServiceSettings.of(database, ADMIN_KEY).localSources().unlimitedRates())
                .with("tributary.scheduler.idle-wait", "1s")
                .properties();
    }

    @BeforeAll
    void tenantsKeysAppsAndRecords() {
        http().createTenant(ADMIN_KEY, "acme");
        http().createTenant(ADMIN_KEY, "globex");
        ann = http().createApiKey(ADMIN_KEY, "acme", "sync:write");
        bob = http().createApiKey(ADMIN_KEY, "acme", "sync:write");
        carol = http().createApiKey(ADMIN_KEY, "acme", "sync:write");
        reader = http().createApiKey(ADMIN_KEY, "acme", "sync:read");
        acmeAdmin = http().createApiKey(ADMIN_KEY, "acme", "sync:admin");
        globexAdmin = http().createApiKey(ADMIN_KEY, "globex", "sync:admin");

        for (int i = 1; i <= 25; i++) {
            String id = apps.stripe.create("customers", Map.of("email", "c" + i + "@example.com", "name", "Customer " + i,
                    "metadata", Map.of("tier", i % 5 < 3 ? "gold" : "silver")));
            if (i % 5 < 3) {
                goldCustomers.add(id);
            }
        }
        goldCustomers.sort(null);
        shop.put("products", "p-6", product("active", 1000, "Electronics"));
        shopClock.set(Instant.now());
        shop.put("products", "p-1", product("active", 50, "Electronics"))
                .put("products", "p-2", product("active", 5, "Electronics"))
                .put("products", "p-3", product("active", 2000, "Electronics"))
                .put("products", "p-4", product("inactive", 50, "Electronics"))
                .put("products", "p-5", product("active", 50, "Books"))
                .put("products", "p-7", product("active", 10, "Electronics"))
                .put("products", "p-8", product("archived", 100, "Electronics"));

        apps.createApps(http(), HttpProbe.asTenant(acmeAdmin, "acme"));
        created(acmeAdmin, "acme", "/api/apps", "{\"app_key\": \"shop\", \"connector\": \"http-json\", \"name\":"
                + " \"Shop\", \"config\": {\"base_url\": \"" + shop.baseUri() + "\", \"auth\": {\"type\": \"bearer\"},"
                + " \"updated_at_field\": \"updated_at\","
                + " \"archived_when\": {\"field\": \"status\", \"equals\": \"archived\"},"
                + " \"collections\": [{\"collection_key\": \"products\", \"path\": \"products\"}]},"
                + " \"credentials\": {\"token\": \"t\"}}");
        apps.pullCustomers(http(), acmeAdmin, "acme");
        http().syncToCompletion(acmeAdmin, "acme", "{\"app_key\": \"shop\", \"mode\": \"full\"}");
    }

    @AfterAll
    void stop() {
        apps.close();
        shop.close();
    }

    private static Map<String, Object> product(String status, int price, String category) {
        return Map.of("name", category + " " + price, "status", status, "price", price, "category", category);
    }

    // --- create, read, change, delete -----------------------------------------------------------

    @Test
    void aCreatedFilterIsAtItsLocationWithTheTargetsOnlyWritableCollection() {
        var response = create(ann, filter("Gold customers", "billing", "stripe_customer", GOLD));
        assertEquals(201, response.statusCode(), response.body());
        var created = HttpProbe.json(response);
        String id = (String) created.get("id");
        assertEquals("/api/saved-filters/" + id, response.headers().firstValue("Location").orElseThrow());
        assertEquals(Set.of("id", "owner", "name", "source_app_key", "collection", "target_app_key",
                "target_collection", "filter_config", "created_at", "updated_at"), created.keySet(),
                "description is absent when there is none: " + created);
        assertTrue(((String) created.get("owner")).startsWith("key:"), created.toString());
        assertEquals("Gold customers", created.get("name"));
        assertEquals("billing", created.get("source_app_key"));
        assertEquals("stripe_customer", created.get("collection"));
        assertEquals("support", created.get("target_app_key"));
        assertEquals("intercom_contact", created.get("target_collection"));
        assertEquals(Map.of("predicates", List.of(Map.of("pointer", "/metadata/tier", "eq", "gold"))),
                created.get("filter_config"));
        assertEquals(created.get("created_at"), created.get("updated_at"));

        var got = call(ann, "GET", response.headers().firstValue("Location").orElseThrow(), null);
        assertEquals(200, got.statusCode(), got.body());
        assertEquals(created, HttpProbe.json(got));
        assertEquals(403, create(reader, filter("Read only", "billing", "stripe_customer", GOLD)).statusCode(),
                "creating takes sync:write");
        assertEquals(200, call(reader, "GET", "/api/saved-filters", null).statusCode(), "reading takes sync:read");
    }

    @Test
    void theSeedsExampleFilterIsTakenAsWrittenAndMatchesWhatItSays() {
        var response = create(ann, "{\"name\": \"Active electronics\", \"description\": \"All active electronic"
                + " products\", \"source_app_key\": \"shop\", \"collection\": \"products\", \"target_app_key\":"
                + " \"support\", \"target_collection\": \"intercom_contact\", \"filter_config\": " + SEED_EXAMPLE + "}");
        assertEquals(201, response.statusCode(), response.body());
        var created = HttpProbe.json(response);
        assertEquals("All active electronic products", created.get("description"));
        assertEquals(HttpProbe.json(SEED_EXAMPLE), created.get("filter_config"), "stored in its own syntax");

        var matches = matches(ann, (String) created.get("id"), "");
        assertEquals(List.of("p-1", "p-7"), externalIds(matches),
                "p-2, p-3 priced outside, p-4 inactive, p-5 books, p-6 changed in 2023, p-8 archived");
        assertEquals(Set.of("external_id", "payload", "archived_at", "source_created_at", "source_updated_at",
                "first_seen_at", "last_seen_at", "updated_at"), items(matches).get(0).keySet(), "the records API's items");
        assertEquals(50, ((Number) ((Map<?, ?>) items(matches).get(0).get("payload")).get("price")).intValue());
    }

    @Test
    void aJsonNullOperandIsKeptAsWritten() {
        var response = create(ann, filter("No email", "billing", "stripe_customer",
                "{\"predicates\": [{\"pointer\": \"/email\", \"eq\": null}]}"));
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"eq\":null"), response.body());
        assertEquals(List.of(), items(matches(ann, id(response), "")), "every customer has an email");
    }

    @Test
    void aChangeReplacesWhatItGivesAndKeepsTheRest() {
        var created = HttpProbe.json(create(ann, filter("To change", "billing", "stripe_customer", GOLD)));
        String path = "/api/saved-filters/" + created.get("id");

        var renamed = call(ann, "PATCH", path, "{\"name\": \"Changed\", \"description\": \"now described\"}");
        assertEquals(200, renamed.statusCode(), renamed.body());
        var changed = HttpProbe.json(renamed);
        assertEquals("Changed", changed.get("name"));
        assertEquals("now described", changed.get("description"));
        assertEquals(created.get("filter_config"), changed.get("filter_config"));
        assertEquals(created.get("created_at"), changed.get("created_at"));
        assertFalse(Instant.parse((String) changed.get("updated_at")).isBefore(Instant.parse((String) created.get("updated_at"))));

        var refiltered = HttpProbe.json(call(ann, "PATCH", path, "{\"filter_config\": {\"updated_after\":"
                + " \"2024-01-01T00:00:00+01:00\"}, \"target_collection\": \"intercom_contact\"}"));
        assertEquals(Map.of("predicates", List.of(), "updated_after", "2023-12-31T23:00:00Z"),
                refiltered.get("filter_config"), "the whole filter is replaced, its time in UTC");
        assertEquals("Changed", refiltered.get("name"));
        assertEquals("now described", refiltered.get("description"));
        assertEquals(25, items(matches(ann, (String) created.get("id"), "limit=100")).size());
        assertEquals(refiltered, HttpProbe.json(call(ann, "GET", path, null)));
    }

    @Test
    void aDeletedFilterIsGone() {
        String id = id(create(ann, filter("To delete", "billing", "stripe_customer", GOLD)));
        var deleted = call(ann, "DELETE", "/api/saved-filters/" + id, null);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("", deleted.body());
        assertProblem(call(ann, "GET", "/api/saved-filters/" + id, null), 404, "not_found");
        assertProblem(call(ann, "DELETE", "/api/saved-filters/" + id, null), 404, "not_found");
        assertProblem(call(ann, "GET", "/api/saved-filters/" + id + "/matches", null), 404, "not_found");
        assertProblem(call(ann, "GET", "/api/saved-filters/not-a-uuid", null), 404, "not_found");
        assertProblem(call(ann, "GET", "/api/saved-filters/1-2-3-4-5", null), 404, "not_found");
    }

    // --- listing ------------------------------------------------------------------------------

    @Test
    void aListIsNewestFirstFilteredAndPaged() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(id(create(carol, filter("Carol " + i, "billing", "stripe_customer", GOLD))));
        }
        ids.add(id(create(carol, filter("Carol's products", "shop", "products", ACTIVE))));
        List<String> newestFirst = new ArrayList<>(ids);
        Collections.reverse(newestFirst);

        var all = list(carol, "");
        assertEquals(20, ((Number) all.get("limit")).intValue());
        assertEquals(0, ((Number) all.get("offset")).intValue());
        assertEquals(6, ((Number) all.get("total")).intValue());
        assertEquals(newestFirst, idsOf(all));

        var customers = list(carol, "source_app_key=billing&collection=stripe_customer&limit=2&offset=1");
        assertEquals(5, ((Number) customers.get("total")).intValue());
        assertEquals(List.of(ids.get(3), ids.get(2)), idsOf(customers));
        assertEquals(List.of(ids.get(5)), idsOf(list(carol, "collection=products")));
        assertEquals(0, ((Number) list(carol, "source_app_key=support").get("total")).intValue());
        assertEquals(List.of(), idsOf(list(carol, "offset=6")));

        assertField(call(carol, "GET", "/api/saved-filters?source=billing", null), "source");
        assertField(call(carol, "GET", "/api/saved-filters?collection=a&collection=b", null), "collection");
        assertField(call(carol, "GET", "/api/saved-filters?limit=101", null), "limit");
        assertField(call(carol, "GET", "/api/saved-filters?offset=-1", null), "offset");
        assertField(call(carol, "GET", "/api/saved-filters?source_app_key=a/b", null), "source_app_key");
    }

    // --- matches ------------------------------------------------------------------------------

    @Test
    void matchesArePagedByNextCursorToTheEnd() {
        String id = id(create(ann, filter("Gold paged", "billing", "stripe_customer", GOLD)));
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            var page = matches(ann, id, "limit=4" + (cursor == null ? "" : "&cursor=" + encode(cursor)));
            assertEquals(4, ((Number) page.get("limit")).intValue());
            assertTrue(page.containsKey("next_cursor"), page.toString());
            sizes.add(items(page).size());
            seen.addAll(externalIds(page));
            items(page).forEach(item -> assertEquals("gold",
                    ((Map<?, ?>) ((Map<?, ?>) item.get("payload")).get("metadata")).get("tier")));
            cursor = (String) page.get("next_cursor");
        } while (cursor != null);
        assertEquals(List.of(4, 4, 4, 3), sizes);
        assertEquals(goldCustomers, seen, "every gold customer once, in external-id order");
        assertEquals(15, items(matches(ann, id, "")).size(), "20 a page by default");
    }

    @Test
    void archivedRecordsMatchOnlyWhenAskedFor() {
        String id = id(create(ann, filter("Electronics", "shop", "products",
                "{\"predicates\": [{\"pointer\": \"/category\", \"eq\": \"Electronics\"}]}")));
        assertEquals(List.of("p-1", "p-2", "p-3", "p-4", "p-6", "p-7"), externalIds(matches(ann, id, "")));
        var withArchived = matches(ann, id, "include_archived=true");
        assertEquals(List.of("p-1", "p-2", "p-3", "p-4", "p-6", "p-7", "p-8"), externalIds(withArchived));
        assertNotEquals(null, items(withArchived).get(6).get("archived_at"));
        assertField(call(ann, "GET", "/api/saved-filters/" + id + "/matches?include_archived=yes", null),
                "include_archived");
    }

    @Test
    void aCursorPagesOnlyTheFilterThatReturnedIt() {
        String gold = id(create(ann, filter("Gold cursor", "billing", "stripe_customer", GOLD)));
        String all = id(create(ann, filter("All customers", "billing", "stripe_customer", "{}")));
        String goldCursor = (String) matches(ann, gold, "limit=2").get("next_cursor");
        String recordsCursor = (String) HttpProbe.json(call(ann, "GET",
                "/api/apps/billing/collections/stripe_customer/records?limit=2", null)).get("next_cursor");

        assertEquals(2, items(matches(ann, gold, "limit=2&cursor=" + encode(goldCursor))).size());
        assertProblem(call(ann, "GET", "/api/saved-filters/" + all + "/matches?cursor=" + encode(goldCursor), null),
                400, "invalid_cursor");
        assertProblem(call(ann, "GET", "/api/saved-filters/" + gold + "/matches?cursor=" + encode(recordsCursor),
                null), 400, "invalid_cursor");
        assertProblem(call(ann, "GET", "/api/apps/billing/collections/stripe_customer/records?cursor="
                + encode(goldCursor), null), 400, "invalid_cursor");
        assertProblem(call(ann, "GET", "/api/saved-filters/" + gold + "/matches?cursor=not-a-cursor", null), 400,
                "invalid_cursor");
        assertField(call(ann, "GET", "/api/saved-filters/" + gold + "/matches?ids=x", null), "ids");
        assertField(call(ann, "GET", "/api/saved-filters/" + gold + "/matches?modified_after=2024-01-01T00:00:00Z",
                null), "modified_after");
        assertField(call(ann, "GET", "/api/saved-filters/" + gold + "/matches?limit=0", null), "limit");
        assertField(call(ann, "GET", "/api/saved-filters/" + gold + "/matches?limit=1&limit=2", null), "limit");
    }

    // --- refusals -----------------------------------------------------------------------------

    @Test
    void aMalformedFilterIsRefusedNamingTheMemberAtFault() {
        assertField(create(ann, filter("Bad", "billing", "stripe_customer",
                "{\"predicates\": [{\"pointer\": \"/a\", \"gt\": 1}]}")), "filter_config.predicates[0].gt");
        assertField(create(ann, filter("Bad", "billing", "stripe_customer",
                "{\"predicates\": [{\"eq\": 1}]}")), "filter_config.predicates[0].pointer");
        assertField(create(ann, filter("Bad", "billing", "stripe_customer",
                "{\"predicates\": [{\"pointer\": \"/a\", \"in\": []}]}")), "filter_config.predicates[0].in");
        assertField(create(ann, filter("Bad", "billing", "stripe_customer",
                "{\"predicates\": [{\"pointer\": \"a\", \"exists\": true}]}")), "filter_config.predicates[0].pointer");
        assertField(create(ann, filter("Bad", "billing", "stripe_customer",
                "{\"updated_after\": \"yesterday\"}")), "filter_config.updated_after");
        assertField(create(ann, filter("Bad", "billing", "stripe_customer", "{\"status\": [\"active\"]}")),
                "filter_config.status");
        assertField(create(ann, filter("Bad", "billing", "stripe_customer", "[]")), "filter_config");
        assertField(create(ann, "{\"name\": \"Bad\", \"source_app_key\": \"billing\", \"collection\":"
                + " \"stripe_customer\", \"target_app_key\": \"support\"}"), "filter_config");
        assertField(create(ann, filter(" ", "billing", "stripe_customer", GOLD)), "name");
        assertField(create(ann, filter("Bad", "billing", "stripe_invoice", GOLD)), "collection");
        assertField(create(ann, "{\"name\": \"Bad\", \"source_app_key\": \"billing\", \"collection\":"
                + " \"stripe_customer\", \"target_app_key\": \"support\", \"target_collection\": \"tickets\","
                + " \"filter_config\": {}}"), "target_collection");
        assertField(create(ann, "{\"name\": \"Bad\", \"owner\": \"key:someone\", \"source_app_key\": \"billing\","
                + " \"collection\": \"stripe_customer\", \"target_app_key\": \"support\", \"filter_config\": {}}"),
                "owner");
        assertProblem(create(ann, ""), 400, "body_missing");
        assertProblem(create(ann, "{\"name\": "), 400, "malformed_json");
        assertEquals(0, listAll(acmeAdmin).stream().filter(f -> "Bad".equals(f.get("name"))).count(),
                "nothing refused was stored");
    }

    @Test
    void unknownAppsAreNotFoundAndATargetMustWriteRecords() {
        var source = create(ann, filter("Nowhere", "nope", "stripe_customer", GOLD));
        assertProblem(source, 404, "not_found");
        assertTrue(detail(source).contains("source_app_key"), source.body());
        var target = create(ann, withTarget("Nowhere", "nope"));
        assertProblem(target, 404, "not_found");
        assertTrue(detail(target).contains("target_app_key"), target.body());

        var stripeTarget = create(ann, withTarget("To Stripe", "billing"));
        assertField(stripeTarget, "target_app_key");
        assertTrue(detail(stripeTarget).contains("does not write records"), stripeTarget.body());
        var readOnly = create(ann, withTarget("To the shop", "shop"));
        assertField(readOnly, "target_app_key");
        assertTrue(detail(readOnly).contains("declares no collection to write"), readOnly.body());
    }

    @Test
    void aNameIsTheOwnersOnce() {
        assertEquals(201, create(ann, filter("Taken", "billing", "stripe_customer", GOLD)).statusCode());
        assertProblem(create(ann, filter("Taken", "shop", "products", ACTIVE)), 409, "saved_filter_exists");
        assertProblem(create(ann, filter("  Taken ", "billing", "stripe_customer", GOLD)), 409, "saved_filter_exists");
        assertEquals(201, create(bob, filter("Taken", "billing", "stripe_customer", GOLD)).statusCode(),
                "another owner's names are its own");
        String other = id(create(ann, filter("Not taken", "billing", "stripe_customer", GOLD)));
        assertProblem(call(ann, "PATCH", "/api/saved-filters/" + other, "{\"name\": \"Taken\"}"), 409,
                "saved_filter_exists");
        assertEquals("Not taken", HttpProbe.json(call(ann, "GET", "/api/saved-filters/" + other, null)).get("name"));
        assertEquals(1, listAll(ann).stream().filter(f -> "Taken".equals(f.get("name"))).count());
    }

    @Test
    void aChangeOfAnythingButNameDescriptionTargetCollectionAndFilterIsRefusedNamingIt() {
        String path = "/api/saved-filters/" + id(create(ann, filter("Fixed", "billing", "stripe_customer", GOLD)));
        var before = HttpProbe.json(call(ann, "GET", path, null));
        for (String member : List.of("\"source_app_key\": \"shop\"", "\"collection\": \"products\"",
                "\"target_app_key\": \"shop\"", "\"id\": \"" + before.get("id") + "\"", "\"owner\": \"key:x\"",
                "\"created_at\": \"2024-01-01T00:00:00Z\"")) {
            String name = member.substring(1, member.indexOf('"', 1));
            assertField(call(ann, "PATCH", path, "{\"name\": \"Moved\", " + member + "}"), name);
        }
        assertField(call(ann, "PATCH", path, "{\"filter_config\": {\"predicates\": [{\"pointer\": \"/a\"}]}}"),
                "filter_config.predicates[0]");
        assertField(call(ann, "PATCH", path, "{\"target_collection\": \"tickets\"}"), "target_collection");
        assertField(call(ann, "PATCH", path, "{\"name\": \"\"}"), "name");
        assertField(call(ann, "PATCH", path, "{\"name\": 1}"), "name");
        assertProblem(call(ann, "PATCH", path, null), 400, "body_missing");
        assertEquals(before, HttpProbe.json(call(ann, "GET", path, null)), "refused changes changed nothing");
    }

    // --- whose filters ------------------------------------------------------------------------

    @Test
    void anotherOwnersFilterIsNotFoundForAnyUseTheAdminSeesEveryOwnersAndAnotherTenantNone() {
        var annsResponse = create(ann, filter("Ann's", "billing", "stripe_customer", GOLD));
        String annsId = id(annsResponse);
        String annsPath = "/api/saved-filters/" + annsId;
        var anns = HttpProbe.json(annsResponse);
        var bobs = HttpProbe.json(create(bob, filter("Bob's", "billing", "stripe_customer", GOLD)));
        assertNotEquals(anns.get("owner"), bobs.get("owner"), "each key owns what it made");

        for (String key : List.of(bob, globexAdmin)) {
            String tenant = key.equals(bob) ? "acme" : "globex";
            assertProblem(call(key, tenant, "GET", annsPath, null), 404, "not_found");
            assertProblem(call(key, tenant, "PATCH", annsPath, "{\"name\": \"Taken over\"}"), 404, "not_found");
            assertProblem(call(key, tenant, "DELETE", annsPath, null), 404, "not_found");
            assertProblem(call(key, tenant, "GET", annsPath + "/matches", null), 404, "not_found");
        }
        assertEquals(anns, HttpProbe.json(call(ann, "GET", annsPath, null)), "Ann's filter is as she made it");
        assertEquals(15, items(matches(ann, annsId, "")).size());

        List<Object> bobsIds = listAll(bob).stream().map(f -> f.get("id")).toList();
        assertTrue(bobsIds.contains(bobs.get("id")), bobsIds.toString());
        assertFalse(bobsIds.contains(annsId), "Bob lists only his own: " + bobsIds);
        assertTrue(listAll(bob).stream().allMatch(f -> bobs.get("owner").equals(f.get("owner"))));
        assertTrue(listAll(ann).stream().allMatch(f -> anns.get("owner").equals(f.get("owner"))));

        List<Object> adminSees = listAll(acmeAdmin).stream().map(f -> f.get("id")).toList();
        assertTrue(adminSees.containsAll(List.of(annsId, bobs.get("id"))), adminSees.toString());
        assertEquals(anns, HttpProbe.json(call(acmeAdmin, "GET", annsPath, null)));
        assertEquals(15, items(matches(acmeAdmin, annsId, "")).size());
        var renamed = HttpProbe.json(call(acmeAdmin, "PATCH", "/api/saved-filters/" + bobs.get("id"),
                "{\"name\": \"Bob's, renamed by the admin\"}"));
        assertEquals(bobs.get("owner"), renamed.get("owner"), "an admin's change keeps the owner");

        var globexList = HttpProbe.json(call(globexAdmin, "globex", "GET", "/api/saved-filters", null));
        assertEquals(0, ((Number) globexList.get("total")).intValue(), globexList.toString());
        assertEquals(List.of(), globexList.get("items"), "an empty list still carries its items");
        assertEquals(403, call(globexAdmin, "acme", "GET", annsPath, null).statusCode(),
                "a key of another tenant is not let into this one");

        assertEquals(204, call(acmeAdmin, "DELETE", "/api/saved-filters/" + bobs.get("id"), null).statusCode());
        assertProblem(call(bob, "GET", "/api/saved-filters/" + bobs.get("id"), null), 404, "not_found");
    }

    // --- helpers ------------------------------------------------------------------------------

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    private HttpResponse<String> call(String key, String method, String path, String body) {
        return call(key, "acme", method, path, body);
    }

    private HttpResponse<String> call(String key, String tenant, String method, String path, String body) {
        return http().send(method, path, body, HttpProbe.asTenant(key, tenant));
    }

    private void created(String key, String tenant, String path, String body) {
        var response = call(key, tenant, "POST", path, body);
        assertEquals(201, response.statusCode(), response.body());
    }

    private HttpResponse<String> create(String key, String body) {
        return call(key, "POST", "/api/saved-filters", body);
    }

    /** A filter of {@code source}'s {@code collection} for the Intercom app, its target collection left out. */
    private static String filter(String name, String source, String collection, String filterConfig) {
        return "{\"name\": \"" + name + "\", \"source_app_key\": \"" + source + "\", \"collection\": \""
                + collection + "\", \"target_app_key\": \"support\", \"filter_config\": " + filterConfig + "}";
    }

    /** A filter of the Stripe customers for {@code target}. */
    private static String withTarget(String name, String target) {
        return "{\"name\": \"" + name + "\", \"source_app_key\": \"billing\", \"collection\": \"stripe_customer\","
                + " \"target_app_key\": \"" + target + "\", \"filter_config\": " + GOLD + "}";
    }

    private static String id(HttpResponse<String> created) {
        assertEquals(201, created.statusCode(), created.body());
        return (String) HttpProbe.json(created).get("id");
    }

    private Map<String, Object> matches(String key, String id, String query) {
        var response = call(key, "GET", "/api/saved-filters/" + id + "/matches" + (query.isEmpty() ? "" : "?" + query),
                null);
        assertEquals(200, response.statusCode(), response.body());
        return HttpProbe.json(response);
    }

    private Map<String, Object> list(String key, String query) {
        var response = call(key, "GET", "/api/saved-filters" + (query.isEmpty() ? "" : "?" + query), null);
        assertEquals(200, response.statusCode(), response.body());
        return HttpProbe.json(response);
    }

    /** Every filter the key sees, page by page. */
    private List<Map<String, Object>> listAll(String key) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (int offset = 0; ; offset += 100) {
            var page = list(key, "limit=100&offset=" + offset);
            all.addAll(items(page));
            if (all.size() >= ((Number) page.get("total")).intValue()) {
                return all;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static List<String> idsOf(Map<String, Object> page) {
        return items(page).stream().map(item -> (String) item.get("id")).toList();
    }

    private static List<String> externalIds(Map<String, Object> page) {
        return items(page).stream().map(item -> (String) item.get("external_id")).toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String detail(HttpResponse<String> response) {
        return (String) HttpProbe.json(response).get("detail");
    }
}
