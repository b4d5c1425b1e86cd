package dev.tributary.api.synclist;

import dev.tributary.api.HttpProbe;
import dev.tributary.api.ServiceSettings;
import dev.tributary.connector.testkit.FakeIntercom;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.filter.SavedFilter;
import dev.tributary.scheduler.filter.SavedFilterDefinition;
import dev.tributary.scheduler.filter.SavedFilters;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.TenantId;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync list API over a real socket: an http-json source (the fake SaaS server, pulled into entities) and two
 * Intercom apps (the fake Intercom) as destinations. Adding one item or a saved filter's matches, listing with
 * filters, changing and removing items, the refusals and their codes, delta syncs pushed to the target with
 * idempotency, the schedule's routes beside the items', and who may see and change whose items.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncListApiTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-sync-list-tests-01";
    static final String INTERCOM_TOKEN = "intercom-sync-list-token";

    @Inject
    EmbeddedServer server;

    @Inject
    SavedFilters savedFilters;

    private TestDatabase database;
    private final FakeSaasServer shop = FakeSaasServer.start();
    private final FakeIntercom intercom = FakeIntercom.start(INTERCOM_TOKEN);
    private Caller admin;
    private Caller globex;

    /** A tenant's API key: the headers of a JSON request as it, and its owner id. */
    private record Caller(String[] headers, String owner) {
    }

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return ServiceSettings.of(database, ADMIN_KEY).localSources().unlimitedRates()
                .with("tributary.connectors.intercom.api-base", intercom.baseUri().toString())
                .with("tributary.scheduler.idle-wait", "1s")
                .properties();
    }

    @BeforeAll
    void tenantsAppsAndRecords() {
        for (int i = 1; i <= 40; i++) {
            String id = String.format("c-%02d", i);
            shop.put("customers", id, Map.of("name", "Customer " + i, "email", id + "@example.com",
                    "status", i == 40 ? "archived" : i % 2 == 0 ? "vip" : "regular"));
        }
        shop.put("leads", "l-1", Map.of("name", "Lead", "email", "lead@example.com", "status", "regular"));
        http().createTenant(ADMIN_KEY, "acme");
        http().createTenant(ADMIN_KEY, "globex");
        admin = caller("acme", "sync:admin");
        globex = caller("globex", "sync:admin");
        created(admin, "/api/apps", """
                {"app_key": "shop", "connector": "http-json", "name": "Shop", "credentials": {"token": "t"},
                 "config": {"base_url": "%s", "auth": {"type": "bearer"}, "updated_at_field": "updated_at",
                            "archived_when": {"field": "status", "equals": "archived"},
                            "collections": [{"collection_key": "customers", "path": "customers"},
                                            {"collection_key": "leads", "path": "leads"}]}}""".formatted(shop.baseUri()));
        for (String target : List.of("crm", "helpdesk")) {
            created(admin, "/api/apps", """
                    {"app_key": "%s", "connector": "intercom", "name": "%s",
                     "credentials": {"access_token": "%s"},
                     "config": {"field_mappings": {"intercom_contact": {"email": "/email", "name": "/name",
                                                                        "role": {"const": "user"}}}}}"""
                    .formatted(target, target, INTERCOM_TOKEN));
        }
        http().syncToCompletion(keyOf(admin), "acme", "{\"app_key\": \"shop\", \"mode\": \"full\"}");
    }

    @AfterAll
    void stop() {
        shop.close();
        intercom.close();
    }

    // --- helpers -------------------------------------------------------------------------

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    /** A new API key of {@code tenant} with {@code role}. */
    private Caller caller(String tenant, String role) {
        var issued = HttpProbe.json(http().send("POST", "/admin/tenants/" + tenant + "/api-keys",
                "{\"name\": \"k\", \"roles\": [\"" + role + "\"]}", "Authorization", "Bearer " + ADMIN_KEY,
                "Content-Type", "application/json"));
        return new Caller(HttpProbe.asTenant((String) issued.get("key"), tenant), "key:" + issued.get("id"));
    }

    private static String keyOf(Caller caller) {
        return caller.headers()[1].substring("Bearer ".length());
    }

    private HttpResponse<String> call(Caller caller, String method, String path, String body, String... extra) {
        String[] headers = java.util.stream.Stream.concat(java.util.Arrays.stream(caller.headers()),
                java.util.Arrays.stream(extra)).toArray(String[]::new);
        return http().send(method, path, body, headers);
    }

    private Map<String, Object> created(Caller caller, String path, String body) {
        var response = call(caller, "POST", path, body);
        assertEquals(201, response.statusCode(), response.body());
        return HttpProbe.json(response);
    }

    /** Adds one item going to {@code target} and returns it as shown. */
    private Map<String, Object> add(Caller caller, String sourceId, String target) {
        return items(created(caller, "/api/sync-list", one(sourceId, target, ""))).get(0);
    }

    private static String one(String sourceId, String target, String more) {
        return "{\"source_app_key\": \"shop\", \"collection\": \"customers\", \"source_id\": \"" + sourceId
                + "\", \"target_app_key\": \"" + target + "\"" + more + "}";
    }

    private Map<String, Object> ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return HttpProbe.json(response);
    }

    /** A refusal: its status, its problem code and (when the problem names one) its field. */
    private static Map<String, Object> refused(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        Map<String, Object> problem = HttpProbe.json(response);
        assertEquals(code, problem.get("code"), response.body());
        return problem;
    }

    @SuppressWarnings("unchecked")
    private static String field(Map<String, Object> problem) {
        return (String) ((List<Map<String, Object>>) problem.get("errors")).get(0).get("field");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private List<String> sourceIds(Caller caller, String query) {
        return items(ok(call(caller, "GET", "/api/sync-list" + query, null))).stream()
                .map(item -> (String) item.get("source_id")).toList();
    }

    private long total(Caller caller) {
        return ((Number) ok(call(caller, "GET", "/api/sync-list", null)).get("total")).longValue();
    }

    /** Waits for the run at {@code location} (as {@code caller} sees it) to finish; returns it. */
    private Map<String, Object> finished(Caller caller, String location) {
        Map<String, Object>[] run = new Map[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = ok(call(caller, "GET", location, null));
            return Set.of("completed", "completed_with_errors", "failed", "dead_lettered", "cancelled")
                    .contains(run[0].get("status"));
        });
        return run[0];
    }

    // --- adding ---------------------------------------------------------------------------

    @Test
    void oneItemIsAddedWithLocationAndListingItAgainIsAConflict() {
        Caller ann = caller("acme", "sync:write");
        var response = call(ann, "POST", "/api/sync-list", one("c-01", "crm", ", \"metadata\": {\"sku\": \"A-1\"},"
                + " \"field_mapping\": {\"email\": \"/email\"}"));
        assertEquals(201, response.statusCode(), response.body());
        Map<String, Object> addition = HttpProbe.json(response);
        assertEquals(1, ((Number) addition.get("added")).intValue());
        assertEquals(0, ((Number) addition.get("already_listed")).intValue());
        Map<String, Object> item = items(addition).get(0);
        assertEquals("/api/sync-list/" + item.get("id"), response.headers().firstValue("Location").orElseThrow());
        assertEquals(ann.owner(), item.get("owner"));
        assertEquals(List.of("shop", "customers", "c-01", "crm", "intercom_contact", "delta", true, false, "pending"),
                List.of(item.get("source_app_key"), item.get("collection"), item.get("source_id"),
                        item.get("target_app_key"), item.get("target_collection"), item.get("sync_mode"),
                        item.get("active"), item.get("push_on_change"), item.get("last_sync_status")));
        assertEquals(Map.of("sku", "A-1"), item.get("metadata"));
        assertEquals(Map.of("email", "/email"), item.get("field_mapping"));
        assertFalse(item.containsKey("last_pushed_hash"), "the hash is never shown");
        assertFalse(item.containsKey("target_id"), "absent until pushed");
        assertEquals(item, ok(call(ann, "GET", response.headers().firstValue("Location").orElseThrow(), null)));

        var again = refused(call(ann, "POST", "/api/sync-list", one("c-01", "crm", "")), 409,
                "sync_list_item_exists");
        assertTrue(((String) again.get("detail")).contains("c-01"), again.toString());
        refused(call(caller("acme", "sync:write"), "POST", "/api/sync-list", one("c-01", "crm", "")), 409,
                "sync_list_item_exists");
        assertEquals(1, total(ann));
        refused(call(caller("acme", "sync:read"), "POST", "/api/sync-list", one("c-02", "crm", "")), 403,
                "forbidden");
    }

    @Test
    void refusalsNameWhatIsWrongAndAddNothing() {
        Caller bea = caller("acme", "sync:write");
        assertTrue(((String) refused(call(bea, "POST", "/api/sync-list", one("c-99", "crm", "")), 404, "not_found")
                .get("detail")).contains("source_id"));
        assertTrue(((String) refused(call(bea, "POST", "/api/sync-list", one("c-40", "crm", "")), 404, "not_found")
                .get("detail")).contains("source_id"), "an archived record is not listed");
        assertTrue(((String) refused(call(bea, "POST", "/api/sync-list", one("c-02", "nope", "")), 404, "not_found")
                .get("detail")).contains("target_app_key"));
        assertEquals("target_app_key", field(refused(call(bea, "POST", "/api/sync-list", one("c-02", "shop", "")),
                400, "invalid_request")), "the source app writes nothing");
        assertEquals("sync_mode", field(refused(call(bea, "POST", "/api/sync-list", one("c-02", "crm",
                ", \"sync_mode\": \"incremental\"")), 400, "invalid_request")));
        assertEquals("target_collection", field(refused(call(bea, "POST", "/api/sync-list", one("c-02", "crm",
                ", \"target_collection\": \"intercom_company\"")), 400, "invalid_request")));
        assertEquals("field_mapping.email", field(refused(call(bea, "POST", "/api/sync-list", one("c-02", "crm",
                ", \"field_mapping\": {\"email\": \"email\"}")), 400, "invalid_request")));
        assertEquals("metadata", field(refused(call(bea, "POST", "/api/sync-list", one("c-02", "crm",
                ", \"metadata\": \"vip\"")), 400, "invalid_request")));
        assertEquals("collection", field(refused(call(bea, "POST", "/api/sync-list", "{\"source_app_key\": \"shop\","
                + " \"collection\": \"orders\", \"source_id\": \"c-02\", \"target_app_key\": \"crm\"}"), 400,
                "invalid_request")));
        assertEquals("source_id", field(refused(call(bea, "POST", "/api/sync-list", "{\"source_app_key\": \"shop\","
                + " \"collection\": \"customers\", \"target_app_key\": \"crm\"}"), 400, "invalid_request")));
        assertEquals("source_id", field(refused(call(bea, "POST", "/api/sync-list",
                "{\"saved_filter_id\": \"6f0e1a4c-0000-4000-8000-000000000001\", \"source_id\": \"c-02\"}"), 400,
                "invalid_request")), "one item or a saved filter's matches, not both");
        assertEquals("owner", field(refused(call(bea, "POST", "/api/sync-list", one("c-02", "crm",
                ", \"owner\": \"key:someone\"")), 400, "invalid_request")));
        assertTrue(((String) refused(call(bea, "POST", "/api/sync-list",
                "{\"saved_filter_id\": \"6f0e1a4c-0000-4000-8000-000000000001\"}"), 404, "not_found").get("detail"))
                .contains("saved_filter_id"));
        assertEquals("saved_filter_id", field(refused(call(bea, "POST", "/api/sync-list",
                "{\"saved_filter_id\": \"1-1-1-1-1\"}"), 400, "invalid_request")));
        refused(call(bea, "POST", "/api/sync-list", "{\"source_app_key\": \"shop\""), 400, "malformed_json");
        assertEquals(0, total(bea), "nothing was added");
    }

    @Test
    void aSavedFiltersMatchesAreAddedToItsTargetAndThoseAlreadyListedCounted() {
        Caller cid = caller("acme", "sync:write");
        SavedFilter vips = savedFilters.create(new TenantId("acme"), Ownership.only(cid.owner()),
                new SavedFilterDefinition("VIPs", null, "shop", "customers", "helpdesk", null, Map.of("predicates",
                        List.of(Map.of("pointer", "/status", "eq", "vip")))));
        add(cid, "c-04", "helpdesk");

        var response = call(cid, "POST", "/api/sync-list", "{\"saved_filter_id\": \"" + vips.id() + "\","
                + " \"sync_mode\": \"full\", \"push_on_change\": true}");
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Location").isEmpty(), "no one item's URL");
        Map<String, Object> addition = HttpProbe.json(response);
        assertEquals(18, ((Number) addition.get("added")).intValue(), "c-02 … c-38 even, but c-04");
        assertEquals(1, ((Number) addition.get("already_listed")).intValue());
        assertEquals(18, items(addition).size());
        for (Map<String, Object> item : items(addition)) {
            assertEquals(List.of(vips.id().toString(), "helpdesk", "full", true, cid.owner()), List.of(
                    item.get("saved_filter_id"), item.get("target_app_key"), item.get("sync_mode"),
                    item.get("push_on_change"), item.get("owner")));
            assertEquals(vips.filterConfig(), item.get("filter_config"));
        }
        assertEquals(19, total(cid));
        assertEquals(18, items(ok(call(cid, "GET", "/api/sync-list?limit=100&saved_filter_id=" + vips.id(), null)))
                .size());

        var again = created(cid, "/api/sync-list", "{\"saved_filter_id\": \"" + vips.id() + "\"}");
        assertEquals(List.of(0, 19), List.of(((Number) again.get("added")).intValue(),
                ((Number) again.get("already_listed")).intValue()));
        assertEquals(List.of(), items(again));
        refused(call(caller("acme", "sync:write"), "POST", "/api/sync-list", "{\"saved_filter_id\": \"" + vips.id()
                + "\"}"), 404, "not_found");
    }

    // --- listing, changing, removing -------------------------------------------------------

    @Test
    void theListIsNarrowedByEachFilterAndPagedNewestFirst() throws Exception {
        Caller dee = caller("acme", "sync:write");
        add(dee, "c-05", "crm");
        created(dee, "/api/sync-list", one("c-07", "helpdesk", ", \"sync_mode\": \"full\""));
        created(dee, "/api/sync-list", one("c-09", "crm", ", \"active\": false"));
        created(dee, "/api/sync-list", "{\"source_app_key\": \"shop\", \"collection\": \"leads\", \"source_id\":"
                + " \"l-1\", \"target_app_key\": \"crm\"}");
        database.execute("UPDATE tributary.sync_list_items SET last_sync_status = 'failed' WHERE source_id = 'c-05'"
                + " AND owner = '" + dee.owner() + "'");

        assertEquals(List.of("l-1", "c-09", "c-07", "c-05"), sourceIds(dee, ""));
        assertEquals(List.of("c-05"), sourceIds(dee, "?status=failed"));
        assertEquals(List.of("l-1", "c-09", "c-07"), sourceIds(dee, "?status=pending"));
        assertEquals(List.of("l-1"), sourceIds(dee, "?collection=leads"));
        assertEquals(List.of("c-07"), sourceIds(dee, "?mode=full"));
        assertEquals(List.of("c-09"), sourceIds(dee, "?active=false"));
        assertEquals(List.of("l-1", "c-05"), sourceIds(dee, "?active=true&target_app_key=crm"));
        Map<String, Object> page = ok(call(dee, "GET", "/api/sync-list?limit=2&offset=1", null));
        assertEquals(List.of(2, 1, 4), List.of(((Number) page.get("limit")).intValue(),
                ((Number) page.get("offset")).intValue(), ((Number) page.get("total")).intValue()));
        assertEquals(List.of("c-09", "c-07"), items(page).stream().map(item -> item.get("source_id")).toList());
        assertEquals(20, ((Number) ok(call(dee, "GET", "/api/sync-list", null)).get("limit")).intValue());

        assertEquals("status", field(refused(call(dee, "GET", "/api/sync-list?status=done", null), 400,
                "invalid_request")));
        assertEquals("mode", field(refused(call(dee, "GET", "/api/sync-list?mode=incremental", null), 400,
                "invalid_request")));
        assertEquals("active", field(refused(call(dee, "GET", "/api/sync-list?active=yes", null), 400,
                "invalid_request")));
        assertEquals("saved_filter_id", field(refused(call(dee, "GET", "/api/sync-list?saved_filter_id=x", null),
                400, "invalid_request")));
        assertEquals("item_type", field(refused(call(dee, "GET", "/api/sync-list?item_type=product", null), 400,
                "invalid_request")));
        assertEquals("mode", field(refused(call(dee, "GET", "/api/sync-list?mode=full&mode=delta", null), 400,
                "invalid_request")));
        assertEquals("limit", field(refused(call(dee, "GET", "/api/sync-list?limit=101", null), 400,
                "invalid_request")));
    }

    @Test
    void anItemsModeAndStateChangeAndOtherMembersAreRefusedAndItCanBeRemoved() {
        Caller eve = caller("acme", "sync:write");
        Map<String, Object> item = add(eve, "c-11", "crm");
        String path = "/api/sync-list/" + item.get("id");

        Map<String, Object> changed = ok(call(eve, "PATCH", path, "{\"sync_mode\": \"full\", \"active\": false,"
                + " \"metadata\": {\"note\": \"paused\"}}"));
        assertEquals(List.of("full", false, Map.of("note", "paused"), false), List.of(changed.get("sync_mode"),
                changed.get("active"), changed.get("metadata"), changed.get("push_on_change")));
        assertEquals(item.get("created_at"), changed.get("created_at"));
        assertEquals(changed, ok(call(eve, "GET", path, null)));

        for (String member : List.of("source_id", "target_app_key", "id", "owner")) {
            assertEquals(member, field(refused(call(eve, "PATCH", path, "{\"" + member + "\": \"x\"}"), 400,
                    "invalid_request")));
        }
        assertEquals("sync_mode", field(refused(call(eve, "PATCH", path, "{\"sync_mode\": \"sometimes\"}"), 400,
                "invalid_request")));
        assertEquals("active", field(refused(call(eve, "PATCH", path, "{\"active\": \"true\"}"), 400,
                "invalid_request")));
        refused(call(eve, "PATCH", path, "[]"), 400, "invalid_request");
        assertEquals(changed, ok(call(eve, "GET", path, null)), "refused changes changed nothing");

        assertEquals(204, call(eve, "DELETE", path, null).statusCode());
        refused(call(eve, "GET", path, null), 404, "not_found");
        refused(call(eve, "DELETE", path, null), 404, "not_found");
        refused(call(eve, "PATCH", path, "{\"active\": true}"), 404, "not_found");
        refused(call(eve, "GET", "/api/sync-list/not-an-id", null), 404, "not_found");
    }

    @Test
    void theSchedulesRoutesStayTheSchedulesBesideTheItems() {
        var none = refused(call(admin, "GET", "/api/sync-list/schedule", null), 404, "not_found");
        assertTrue(((String) none.get("detail")).contains("schedule"), none.toString());
        Map<String, Object> schedule = ok(call(admin, "PUT", "/api/sync-list/schedule",
                "{\"cron\": \"0 6 * * *\", \"timezone\": \"America/Toronto\"}"));
        assertEquals("0 6 * * *", schedule.get("cron"));
        assertEquals(schedule, ok(call(admin, "GET", "/api/sync-list/schedule", null)));
        refused(call(caller("acme", "sync:write"), "GET", "/api/sync-list/schedule", null), 403, "forbidden");
        assertEquals(204, call(admin, "DELETE", "/api/sync-list/schedule", null).statusCode());
        refused(call(admin, "DELETE", "/api/sync-list/schedule", null), 404, "not_found");
    }

    // --- delta sync -------------------------------------------------------------------------

    @Test
    void aDeltaSyncPushesTheActiveItemsAndAKeyReplaysItsFirstAnswer() {
        Caller fay = caller("acme", "sync:write");
        Map<String, Object> first = add(fay, "c-13", "crm");
        add(fay, "c-15", "crm");
        created(fay, "/api/sync-list", one("c-17", "crm", ", \"active\": false"));

        var response = call(fay, "POST", "/api/sync-list/delta-sync", "{}", "Idempotency-Key", "fay-1");
        assertEquals(202, response.statusCode(), response.body());
        Map<String, Object> queued = HttpProbe.json(response);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertEquals("/api/sync/status/" + queued.get("sync_id"), location);
        assertEquals(List.of("queued", "push", "delta", "crm", "intercom_contact", 2), List.of(queued.get("status"),
                queued.get("kind"), queued.get("mode"), queued.get("app_key"), queued.get("collection"),
                ((Number) queued.get("items")).intValue()));
        assertFalse(response.headers().firstValue("Idempotent-Replayed").isPresent());

        Map<String, Object> run = finished(fay, location);
        assertEquals("completed", run.get("status"), run.toString());
        assertEquals(List.of(2, 2, 0), List.of(((Number) run.get("items_processed")).intValue(),
                ((Number) run.get("items_created")).intValue(), ((Number) run.get("items_failed")).intValue()));
        Map<String, Object> pushed = ok(call(fay, "GET", "/api/sync-list/" + first.get("id"), null));
        assertEquals("success", pushed.get("last_sync_status"));
        assertEquals(queued.get("sync_id"), pushed.get("last_sync_id"));
        assertNotNull(pushed.get("target_id"));
        assertEquals("c-13@example.com", intercom.object("contact", (String) pushed.get("target_id")).get("email"));
        assertEquals(List.of("c-17"), sourceIds(fay, "?status=pending"), "the inactive item was left out");

        var replay = call(fay, "POST", "/api/sync-list/delta-sync", "{\"idempotency_key\": \"fay-1\"}");
        assertEquals(202, replay.statusCode(), replay.body());
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(queued.get("sync_id"), HttpProbe.json(replay).get("sync_id"));
        assertEquals(location, replay.headers().firstValue("Location").orElseThrow());
        refused(call(fay, "POST", "/api/sync-list/delta-sync", "{\"collection\": \"customers\"}",
                "Idempotency-Key", "fay-1"), 422, "idempotency_key_reused");
        refused(call(caller("acme", "sync:write"), "POST", "/api/sync-list/delta-sync", "{}", "Idempotency-Key",
                "fay-1"), 422, "idempotency_key_reused");
        var pull = call(fay, "POST", "/api/sync", "{\"app_key\": \"shop\", \"collection\": \"leads\"}",
                "Idempotency-Key", "fay-pull");
        assertEquals(202, pull.statusCode(), pull.body());
        refused(call(fay, "POST", "/api/sync-list/delta-sync", "{}", "Idempotency-Key", "fay-pull"), 422,
                "idempotency_key_reused");

        Map<String, Object> unchanged = finished(fay, call(fay, "POST", "/api/sync-list/delta-sync",
                "{\"sync_list_ids\": [\"" + first.get("id") + "\"]}").headers().firstValue("Location").orElseThrow());
        assertEquals(List.of(1, 0, 1), List.of(((Number) unchanged.get("items_processed")).intValue(),
                ((Number) unchanged.get("items_created")).intValue(),
                ((Number) unchanged.get("items_unchanged")).intValue()), "delta: unchanged since its last push");
    }

    @Test
    void aDeltaSyncOfSeveralTargetsNeedsOneNamedAndOneOfNothingActiveIsAConflict() throws Exception {
        Caller gus = caller("acme", "sync:write");
        long runs = database.queryLong("SELECT count(*) FROM tributary.sync_runs");
        refused(call(gus, "POST", "/api/sync-list/delta-sync", "{}"), 409, "no_active_items");
        add(gus, "c-19", "crm");
        Map<String, Object> paused = add(gus, "c-21", "helpdesk");
        var several = refused(call(gus, "POST", "/api/sync-list/delta-sync", "{}"), 400, "invalid_request");
        assertEquals("target_app_key", field(several));
        assertTrue(((String) several.get("detail")).contains("crm, helpdesk"), several.toString());
        ok(call(gus, "PATCH", "/api/sync-list/" + paused.get("id"), "{\"active\": false}"));
        refused(call(gus, "POST", "/api/sync-list/delta-sync", "{\"sync_list_ids\": [\"" + paused.get("id") + "\"]}"),
                409, "no_active_items");
        refused(call(gus, "POST", "/api/sync-list/delta-sync", "{\"target_app_key\": \"helpdesk\"}"), 409,
                "no_active_items");
        assertEquals("sync_list_ids[0]", field(refused(call(gus, "POST", "/api/sync-list/delta-sync",
                "{\"sync_list_ids\": [\"nope\"]}"), 400, "invalid_request")));
        assertEquals("sync_list_ids", field(refused(call(gus, "POST", "/api/sync-list/delta-sync",
                "{\"sync_list_ids\": []}"), 400, "invalid_request")));
        assertEquals("item_type", field(refused(call(gus, "POST", "/api/sync-list/delta-sync",
                "{\"item_type\": \"product\"}"), 400, "invalid_request")));
        assertEquals(runs, database.queryLong("SELECT count(*) FROM tributary.sync_runs"), "nothing was queued");
        refused(call(caller("acme", "sync:read"), "POST", "/api/sync-list/delta-sync", "{}"), 403, "forbidden");
    }

    // --- whose items ------------------------------------------------------------------------

    @Test
    void anotherOwnersItemsAreNotFoundForAnyUseAndAnAdminSeesEveryOwnersButNotAnotherTenants() {
        Caller hal = caller("acme", "sync:write");
        Caller ida = caller("acme", "sync:write");
        Map<String, Object> hals = add(hal, "c-23", "crm");
        Map<String, Object> idas = add(ida, "c-25", "crm");
        String halsPath = "/api/sync-list/" + hals.get("id");

        refused(call(ida, "GET", halsPath, null), 404, "not_found");
        refused(call(ida, "PATCH", halsPath, "{\"active\": false}"), 404, "not_found");
        refused(call(ida, "DELETE", halsPath, null), 404, "not_found");
        var push = refused(call(ida, "POST", "/api/sync-list/delta-sync", "{\"sync_list_ids\": [\"" + hals.get("id")
                + "\", \"" + idas.get("id") + "\"]}"), 404, "not_found");
        assertTrue(((String) push.get("detail")).contains((String) hals.get("id")), push.toString());
        assertFalse(((String) push.get("detail")).contains((String) idas.get("id")), push.toString());
        assertEquals(List.of("c-25"), sourceIds(ida, ""), "ida lists only her own");
        assertEquals(List.of("c-23"), sourceIds(hal, ""));
        assertEquals(hals, ok(call(hal, "GET", halsPath, null)), "ida's attempts changed nothing");

        Set<Object> adminSees = items(ok(call(admin, "GET", "/api/sync-list?limit=100", null))).stream()
                .map(item -> item.get("id")).collect(Collectors.toSet());
        assertTrue(adminSees.containsAll(Set.of(hals.get("id"), idas.get("id"))), adminSees.toString());
        assertEquals(hal.owner(), ok(call(admin, "GET", halsPath, null)).get("owner"));

        refused(call(globex, "GET", halsPath, null), 404, "not_found");
        refused(call(globex, "PATCH", halsPath, "{\"active\": false}"), 404, "not_found");
        refused(call(globex, "DELETE", halsPath, null), 404, "not_found");
        refused(call(globex, "POST", "/api/sync-list/delta-sync", "{\"sync_list_ids\": [\"" + hals.get("id")
                + "\"]}"), 404, "not_found");
        assertEquals(0, total(globex));

        Map<String, Object> byAdmin = ok(call(admin, "PATCH", halsPath, "{\"active\": false}"));
        assertEquals(List.of(false, hal.owner()), List.of(byAdmin.get("active"), byAdmin.get("owner")));
        assertEquals(204, call(admin, "DELETE", halsPath, null).statusCode());
        refused(call(hal, "GET", halsPath, null), 404, "not_found");
    }
}
