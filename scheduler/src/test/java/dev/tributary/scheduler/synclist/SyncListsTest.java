package dev.tributary.scheduler.synclist;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.filter.SavedFilter;
import dev.tributary.db.run.RunKind;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRun;
import dev.tributary.db.synclist.ItemStatus;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
import dev.tributary.scheduler.NodeSettings;
import dev.tributary.scheduler.Refusal;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.push.PushEndApps;
import dev.tributary.scheduler.filter.SavedFilterDefinition;
import dev.tributary.scheduler.filter.SavedFilters;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync list service on a real PostgreSQL with real connectors: what an item's source record and target must
 * be (the checks saved filters make), one item a record and target, a saved filter's matches added and returned,
 * each read and change kept to the caller's own items, and delta syncs queued as one owner's push to one target.
 */
class SyncListsTest {

    private static final Map<String, Object> ACTIVE = Map.of("predicates",
            List.of(Map.of("pointer", "/status", "in", List.of("active"))));

    private final FakeSaasServer saas = FakeSaasServer.start();
    private final TestDatabase database = TestPostgres.freshDatabase();
    private final TenantId acme = new TenantId("acme");
    private final Ownership ann = Ownership.only("key:ann");
    private final Ownership bob = Ownership.only("jwt:bob");
    private final Ownership admin = new Ownership("key:admin", true);
    private ApplicationContext context;
    private SyncLists lists;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> properties = NodeSettings.on(database);
        properties.put("tributary.connectors.http-json.allow-private-addresses", "true");
        context = ApplicationContext.run(properties);
        lists = context.getBean(SyncLists.class);
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
        PushEndApps.create(context.getBean(Apps.class), acme, saas.baseUri());
        // p1–p3 active, p4 closed, p5 archived; o1 an order.
        database.execute("""
                INSERT INTO tributary.entities (tenant_id, app_key, collection_key, external_id, raw_payload,
                                                content_hash, archived_at, first_seen_at, last_seen_at, updated_at)
                VALUES ('acme', 'shop', 'products', 'p1', '{"status": "active"}', '\\x01', NULL, now(), now(), now()),
                       ('acme', 'shop', 'products', 'p2', '{"status": "active"}', '\\x02', NULL, now(), now(), now()),
                       ('acme', 'shop', 'products', 'p3', '{"status": "active"}', '\\x03', NULL, now(), now(), now()),
                       ('acme', 'shop', 'products', 'p4', '{"status": "closed"}', '\\x04', NULL, now(), now(), now()),
                       ('acme', 'shop', 'products', 'p5', '{"status": "active"}', '\\x05', now(), now(), now(), now()),
                       ('acme', 'shop', 'orders', 'o1', '{"status": "active"}', '\\x06', NULL, now(), now(), now())""");
    }

    @AfterEach
    void stop() {
        context.close();
        saas.close();
    }

    private static SyncListItemDefinition item(String collection, String sourceId, String target) {
        return new SyncListItemDefinition("shop", collection, sourceId, target, null, null, null, null, null, null);
    }

    private SyncListItem add(Ownership owner, String sourceId, String target) {
        return lists.add(acme, owner, item("products", sourceId, target));
    }

    private long count(String table) throws Exception {
        return database.queryLong("SELECT count(*) FROM tributary." + table);
    }

    private Refusal.InvalidField invalid(SyncListItemDefinition definition) {
        return assertThrows(Refusal.InvalidField.class, () -> lists.add(acme, ann, definition));
    }

    /** Runs a refused call and checks it stored nothing. */
    private <T extends RuntimeException> T refusedAndNothingStored(Class<T> type, Executable call) throws Exception {
        long items = count("sync_list_items");
        long runs = count("sync_runs");
        T refusal = assertThrows(type, call);
        assertEquals(items, count("sync_list_items"), "no item added");
        assertEquals(runs, count("sync_runs"), "no run queued");
        return refusal;
    }

    @Test
    void anItemIsAddedForItsOwnerWithItsDefaultsAndTheTargetsOnlyCollection() {
        SyncListItem item = add(ann, "p1", "crm");
        assertEquals("key:ann", item.owner());
        assertEquals(List.of("shop", "products", "p1", "crm", "intercom_contact"), List.of(item.sourceAppKey(),
                item.collection(), item.sourceId(), item.targetAppKey(), item.targetCollection()));
        assertEquals(RunMode.DELTA, item.mode());
        assertTrue(item.active());
        assertFalse(item.pushOnChange());
        assertEquals(ItemStatus.PENDING, item.lastSyncStatus());
        assertNull(item.fieldMapping());
        assertNull(item.targetId());
        assertEquals(Map.of(), item.metadata());
        assertEquals(item, lists.get(acme, ann, item.id()));

        SyncListItem full = lists.add(acme, ann, new SyncListItemDefinition("shop", "products", "p2", "outbox",
                "deals", "full", false, true, Map.of("title", "/name", "kind", Map.of("const", "product")),
                Map.of("sku", "P-2")));
        assertEquals(List.of(RunMode.FULL, false, true), List.of(full.mode(), full.active(), full.pushOnChange()));
        assertEquals("deals", full.targetCollection());
        assertEquals(Map.of("kind", Map.of("const", "product"), "title", "/name"), full.fieldMapping());
        assertEquals(Map.of("sku", "P-2"), full.metadata());
    }

    @Test
    void theSourceRecordAndTheTargetAreCheckedBeforeAnythingIsStored() throws Exception {
        assertEquals("collection", invalid(item("refunds", "p1", "crm")).field());
        assertEquals("source_app_key", refusedAndNothingStored(Refusal.AppNotFound.class, () ->
                lists.add(acme, ann, new SyncListItemDefinition("nope", "products", "p1", "crm", null, null, null,
                        null, null, null))).field());
        assertEquals("target_app_key", refusedAndNothingStored(Refusal.AppNotFound.class, () ->
                add(ann, "p1", "nope")).field());
        assertEquals("billing", refusedAndNothingStored(Refusal.NotADestination.class, () ->
                add(ann, "p1", "billing")).appKey());
        assertTrue(refusedAndNothingStored(Refusal.NotADestination.class, () -> add(ann, "p1", "shop"))
                .getMessage().contains("declares no collection to write"));
        Refusal.InvalidField several = invalid(item("products", "p1", "outbox"));
        assertEquals("target_collection", several.field());
        assertTrue(several.reason().contains("leads, deals"), several.reason());

        for (String missing : List.of("p9", "p5", "o1")) { // never synced, archived, of another collection
            var notFound = refusedAndNothingStored(SyncListException.NotFound.class, () -> add(ann, missing, "crm"));
            assertTrue(notFound.getMessage().contains("source_id") && notFound.getMessage().contains(missing),
                    notFound.getMessage());
        }

        assertEquals("source_id", invalid(item("products", null, "crm")).field());
        assertEquals("source_id", invalid(item("products", " ", "crm")).field());
        assertEquals("source_id", invalid(item("products", "x".repeat(256), "crm")).field());
        assertEquals("collection", invalid(item("a/b", "p1", "crm")).field());
        assertEquals("sync_mode", invalid(new SyncListItemDefinition("shop", "products", "p1", "crm", null,
                "incremental", null, null, null, null)).field());
        assertEquals("field_mapping", invalid(new SyncListItemDefinition("shop", "products", "p1", "crm", null,
                null, null, null, Map.of(), null)).field());
        assertEquals("field_mapping.email", invalid(new SyncListItemDefinition("shop", "products", "p1", "crm",
                null, null, null, null, Map.of("email", "email"), null)).field());
        assertEquals(0, count("sync_list_items"));
    }

    @Test
    void aRecordIsListedForATargetOnceWhoeverListsIt() throws Exception {
        add(ann, "p1", "crm");
        refusedAndNothingStored(SyncListException.AlreadyListed.class, () -> add(ann, "p1", "crm"));
        refusedAndNothingStored(SyncListException.AlreadyListed.class, () -> add(bob, "p1", "crm"));
        assertEquals("jwt:bob", add(bob, "p1", "helpdesk").owner(), "another target is another item");
        assertEquals(2, count("sync_list_items"));
    }

    @Test
    void aSavedFiltersMatchesAreAddedToItsTargetAndTheAddedItemsReturned() throws Exception {
        SavedFilters filters = context.getBean(SavedFilters.class);
        SavedFilter active = filters.create(acme, ann, new SavedFilterDefinition("Active", null, "shop", "products",
                "crm", null, ACTIVE));
        add(bob, "p2", "crm");

        SyncListItems.FilterAddition first = lists.addFromFilter(acme, ann, new SavedFilterItems(active.id(), "full",
                true, Map.of("email", "/email")));
        assertEquals(List.of("p1", "p3"), first.added().stream().map(SyncListItem::sourceId).toList(),
                "p2 is listed (by bob), p4 not matched, p5 archived");
        assertEquals(1, first.alreadyListed());
        for (SyncListItem item : first.added()) {
            assertEquals("key:ann", item.owner());
            assertEquals(active.id(), item.savedFilterId());
            assertEquals(active.filterConfig(), item.filterConfig());
            assertEquals(List.of(RunMode.FULL, true), List.of(item.mode(), item.pushOnChange()));
            assertEquals(Map.of("email", "/email"), item.fieldMapping());
            assertEquals("intercom_contact", item.targetCollection());
            assertEquals(item, lists.get(acme, ann, item.id()));
        }
        SyncListItems.FilterAddition again = lists.addFromFilter(acme, ann, new SavedFilterItems(active.id(), null,
                null, null));
        assertEquals(List.of(), again.added());
        assertEquals(3, again.alreadyListed());

        var notBobs = refusedAndNothingStored(SyncListException.NotFound.class, () -> lists.addFromFilter(acme, bob,
                new SavedFilterItems(active.id(), null, null, null)));
        assertTrue(notBobs.getMessage().contains("saved_filter_id"), notBobs.getMessage());
        assertEquals("sync_mode", assertThrows(Refusal.InvalidField.class, () -> lists.addFromFilter(acme, ann,
                new SavedFilterItems(active.id(), "sometimes", null, null))).field());
        assertEquals("saved_filter_id", assertThrows(Refusal.InvalidField.class, () -> lists.addFromFilter(acme,
                ann, new SavedFilterItems(null, null, null, null))).field());
    }

    @Test
    void readsAndChangesStayInTheCallersScopeAndTheWholeTenantsScopeReachesAll() throws Exception {
        SyncListItem annsFirst = add(ann, "p1", "crm");
        SyncListItem annsOrder = lists.add(acme, ann, new SyncListItemDefinition("shop", "orders", "o1", "crm", null,
                "full", null, null, null, null));
        SyncListItem bobs = add(bob, "p2", "crm");
        database.execute("UPDATE tributary.sync_list_items SET last_sync_status = 'failed' WHERE source_id = 'o1'");

        assertEquals(List.of(annsOrder.id(), annsFirst.id()), ids(lists.list(acme, ann, SyncListItems.Filter.ALL, 20,
                0)), "newest first, only ann's");
        assertEquals(2, lists.list(acme, ann, SyncListItems.Filter.ALL, 1, 0).total());
        assertEquals(List.of(annsFirst.id()), ids(lists.list(acme, ann, SyncListItems.Filter.ALL, 1, 1)));
        assertEquals(List.of(annsOrder.id()), ids(lists.list(acme, ann, filter(ItemStatus.FAILED, null, null, null),
                20, 0)));
        assertEquals(List.of(annsFirst.id()), ids(lists.list(acme, ann, filter(null, "products", null, null), 20, 0)));
        assertEquals(List.of(annsOrder.id()), ids(lists.list(acme, ann, filter(null, null, RunMode.FULL, null), 20,
                0)));
        assertEquals(Set.of(annsFirst.id(), annsOrder.id(), bobs.id()), Set.copyOf(ids(lists.list(acme, admin,
                SyncListItems.Filter.ALL, 20, 0))));

        for (Executable call : List.<Executable>of(() -> lists.get(acme, bob, annsFirst.id()),
                () -> lists.update(acme, bob, annsFirst.id(), new SyncListItemChange("full", null, null, null, null)),
                () -> lists.delete(acme, bob, annsFirst.id()))) {
            assertThrows(SyncListException.NotFound.class, call);
        }
        assertEquals(annsFirst, lists.get(acme, ann, annsFirst.id()), "bob's attempts changed nothing");

        SyncListItem changed = lists.update(acme, ann, annsFirst.id(), new SyncListItemChange("full", false, true,
                Map.of("email", "/email"), Map.of("note", "vip")));
        assertEquals(List.of(RunMode.FULL, false, true), List.of(changed.mode(), changed.active(),
                changed.pushOnChange()));
        assertEquals(Map.of("email", "/email"), changed.fieldMapping());
        assertEquals(Map.of("note", "vip"), changed.metadata());
        assertEquals(List.of(annsFirst.id()), ids(lists.list(acme, ann, filter(null, null, null, false), 20, 0)));
        assertEquals("sync_mode", assertThrows(Refusal.InvalidField.class, () -> lists.update(acme, ann,
                annsFirst.id(), new SyncListItemChange("never", true, null, null, null))).field());
        assertEquals(changed, lists.get(acme, ann, annsFirst.id()), "a refused change changed nothing");
        assertTrue(lists.update(acme, admin, bobs.id(), new SyncListItemChange(null, false, null, null, null))
                .owner().equals("jwt:bob"), "an admin's change keeps the owner");

        lists.delete(acme, ann, annsFirst.id());
        assertThrows(SyncListException.NotFound.class, () -> lists.get(acme, ann, annsFirst.id()));
        assertThrows(SyncListException.NotFound.class, () -> lists.delete(acme, ann, annsFirst.id()));
        lists.delete(acme, admin, bobs.id());
        assertEquals(1, count("sync_list_items"));
    }

    @Test
    void aDeltaSyncQueuesOnePushOfTheCallersActiveItemsToOneTarget() throws Exception {
        SyncListItem p1 = add(ann, "p1", "crm");
        SyncListItem p2 = add(ann, "p2", "crm");
        SyncListItem inactive = lists.add(acme, ann, new SyncListItemDefinition("shop", "products", "p3", "crm", null,
                null, false, null, null, null));
        SyncListItem order = lists.add(acme, ann, item("orders", "o1", "crm"));
        SyncListItem elsewhere = add(ann, "p1", "helpdesk");
        SyncListItem bobs = add(bob, "p3", "helpdesk");

        var several = refusedAndNothingStored(Refusal.InvalidField.class, () -> lists.deltaSync(acme, ann,
                "key:ann", null, null, null, null));
        assertEquals("target_app_key", several.field());
        assertTrue(several.reason().contains("crm, helpdesk"), several.reason());

        SyncRun run = lists.deltaSync(acme, ann, "key:ann", null, "products", "crm", "key-1");
        assertEquals(List.of(RunKind.PUSH, RunMode.DELTA, RunTrigger.MANUAL, RunStatus.QUEUED), List.of(run.kind(),
                run.mode(), run.trigger(), run.status()));
        assertEquals("key:ann", run.owner());
        assertEquals("crm", run.appKey());
        assertEquals("intercom_contact", run.collectionKey());
        assertEquals("key-1", run.idempotencyKey());
        assertEquals(Set.of(p1.id().toString(), p2.id().toString()), Set.copyOf(run.request().ids()),
                "active products to crm; the inactive one and the order left out");

        SyncRun named = lists.deltaSync(acme, ann, "key:ann", List.of(order.id(), inactive.id(), order.id()), null,
                null, null);
        assertEquals(List.of(order.id().toString()), named.request().ids());
        assertEquals(List.of(elsewhere.id().toString()), lists.deltaSync(acme, ann, "key:ann", List.of(elsewhere.id()),
                null, null, null).request().ids());

        var notAnns = refusedAndNothingStored(SyncListException.NotFound.class, () -> lists.deltaSync(acme, ann,
                "key:ann", List.of(p1.id(), bobs.id()), null, null, null));
        assertTrue(notAnns.getMessage().contains(bobs.id().toString()) && !notAnns.getMessage().contains(
                p1.id().toString()), notAnns.getMessage());
        refusedAndNothingStored(SyncListException.NothingActive.class, () -> lists.deltaSync(acme, ann, "key:ann",
                List.of(inactive.id()), null, null, null));
        refusedAndNothingStored(SyncListException.NothingActive.class, () -> lists.deltaSync(acme, ann, "key:ann",
                null, "orders", "helpdesk", null));
        assertEquals("sync_list_ids", refusedAndNothingStored(Refusal.InvalidField.class, () ->
                lists.deltaSync(acme, ann, "key:ann", List.of(), null, null, null)).field());
        assertEquals("collection", refusedAndNothingStored(Refusal.InvalidField.class, () ->
                lists.deltaSync(acme, ann, "key:ann", null, "a b", null, null)).field());

        SyncRun bobsRun = lists.deltaSync(acme, bob, "jwt:bob", null, null, null, null);
        assertEquals(List.of(bobs.id().toString()), bobsRun.request().ids(), "bob pushes only his own");
        assertEquals("jwt:bob", bobsRun.owner());
        assertEquals("jwt:bob,key:ann", database.queryText("SELECT string_agg(DISTINCT owner, ',' ORDER BY owner)"
                + " FROM tributary.sync_runs"), "each run is its caller's");
    }

    private static SyncListItems.Filter filter(ItemStatus status, String collection, RunMode mode, Boolean active) {
        return new SyncListItems.Filter(null, status, collection, mode, active, null, null);
    }

    private static List<UUID> ids(SyncLists.Listing listing) {
        return listing.items().stream().map(SyncListItem::id).toList();
    }
}
