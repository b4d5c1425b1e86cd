package dev.tributary.db.synclist;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.filter.SavedFilter;
import dev.tributary.db.run.RunMode;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sync_list_items on a real PostgreSQL, as the service's role: what the repository stores and reads back, and
 * the row-level security matrix — an owner's scope admits only its own items, the whole tenant's ('*') every
 * owner's, another tenant's and a transaction naming no owner none, for reads and writes alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncListItemsTest {

    private static final String ALICE = "key:alice";
    private static final String BOB = "jwt:bob";
    private static final String WHOLE_TENANT = "*";

    private final TestDatabase database = TestPostgres.freshDatabase();
    private ApplicationContext context;
    private SyncListItems items;

    @BeforeAll
    void migrate() throws SQLException {
        context = ApplicationContext.run(database.contextProperties());
        items = context.getBean(SyncListItems.class);
        database.execute("""
                INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex');
                INSERT INTO tributary.apps (tenant_id, app_key, connector, name) VALUES
                    ('acme', 'stripe', 'stripe', 'Stripe'), ('acme', 'intercom', 'intercom', 'Intercom'),
                    ('globex', 'stripe', 'stripe', 'Stripe'), ('globex', 'intercom', 'intercom', 'Intercom')""");
    }

    @AfterAll
    void stop() {
        context.close();
    }

    /** A transaction as the service's role, scoped to a tenant and owner setting (null: not set at all). */
    private Connection as(String tenant, String owner) throws SQLException {
        Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        c.setAutoCommit(false);
        c.createStatement().execute("SET ROLE tributary_app");
        c.createStatement().execute("SET search_path = tributary");
        c.createStatement().execute("SELECT set_config('tributary.tenant_id', '" + tenant + "', true)");
        if (owner != null) {
            c.createStatement().execute("SELECT set_config('tributary.user_id', '" + owner + "', true)");
        }
        return c;
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T in(String tenant, String owner, Work<T> work) throws SQLException {
        try (Connection c = as(tenant, owner)) {
            T result = work.run(c);
            c.commit();
            return result;
        }
    }

    private static SyncListItems.NewItem item(String owner, String sourceId) {
        return new SyncListItems.NewItem(owner, "stripe", "stripe_customer", sourceId, "intercom", "intercom_contact",
                RunMode.DELTA, true, false, null, Map.of());
    }

    private SyncListItem added(String tenant, String owner, String sourceId) throws SQLException {
        return ((SyncListItems.Insertion.Added) in(tenant, owner, c -> items.insert(c, tenant, item(owner, sourceId))))
                .item();
    }

    @Test
    void anAddedItemReadsBackWithItsDefaultsAndItsJson() throws SQLException {
        var mapping = Map.<String, Object>of("email", "/email", "role", Map.of("const", "user"));
        SyncListItem item = ((SyncListItems.Insertion.Added) in("acme", ALICE, c -> items.insert(c, "acme",
                new SyncListItems.NewItem(ALICE, "stripe", "stripe_customer", "cus_json", "intercom",
                        "intercom_contact", RunMode.FULL, false, true, mapping, Map.of("team", "sales"))))).item();
        SyncListItem read = in("acme", ALICE, c -> items.find(c, "acme", item.id())).orElseThrow();
        assertEquals(ALICE, read.owner());
        assertEquals(RunMode.FULL, read.mode());
        assertFalse(read.active());
        assertTrue(read.pushOnChange());
        assertEquals(ItemStatus.PENDING, read.lastSyncStatus());
        assertEquals(mapping, read.fieldMapping());
        assertEquals(Map.of("team", "sales"), read.metadata());
        assertNull(read.targetId());
        assertNull(read.filterConfig());
    }

    @Test
    void theSameSourceRecordForTheSameTargetIsListedOnceWhoeverAddsIt() throws SQLException {
        added("acme", ALICE, "cus_twice");
        assertInstanceOf(SyncListItems.Insertion.Exists.class,
                in("acme", ALICE, c -> items.insert(c, "acme", item(ALICE, "cus_twice"))));
        assertInstanceOf(SyncListItems.Insertion.Exists.class,
                in("acme", BOB, c -> items.insert(c, "acme", item(BOB, "cus_twice"))));
        assertInstanceOf(SyncListItems.Insertion.Added.class,
                in("globex", BOB, c -> items.insert(c, "globex", item(BOB, "cus_twice"))), "another tenant's list");
    }

    @Test
    void anOwnersScopeAdmitsOnlyItsOwnItemsAndTheWholeTenantsScopeEveryOwners() throws SQLException {
        SyncListItem alices = added("acme", ALICE, "cus_matrix_a");
        SyncListItem bobs = added("acme", BOB, "cus_matrix_b");
        SyncListItem globex = added("globex", ALICE, "cus_matrix_a");

        assertTrue(in("acme", ALICE, c -> items.find(c, "acme", alices.id())).isPresent());
        assertTrue(in("acme", ALICE, c -> items.find(c, "acme", bobs.id())).isEmpty(), "another owner's item");
        assertTrue(in("acme", BOB, c -> items.find(c, "acme", alices.id())).isEmpty());
        assertTrue(in("acme", WHOLE_TENANT, c -> items.find(c, "acme", alices.id())).isPresent());
        assertTrue(in("acme", WHOLE_TENANT, c -> items.find(c, "acme", bobs.id())).isPresent());
        assertTrue(in("acme", WHOLE_TENANT, c -> items.find(c, "globex", globex.id())).isEmpty(),
                "another tenant's item, even asked for by its tenant id");
        assertTrue(in("acme", null, c -> items.find(c, "acme", alices.id())).isEmpty(), "no owner named: nothing");

        var matrix = new SyncListItems.Filter(List.of(alices.id(), bobs.id(), globex.id()), null, null, null, null,
                null, null);
        assertEquals(List.of(alices.id()), ids(in("acme", ALICE, c -> items.all(c, "acme", matrix))));
        assertEquals(List.of(bobs.id()), ids(in("acme", BOB, c -> items.list(c, "acme", matrix, 100, 0))));
        assertEquals(2L, (long) in("acme", WHOLE_TENANT, c -> items.count(c, "acme", matrix)));
        assertEquals(0L, (long) in("acme", null, c -> items.count(c, "acme", matrix)));
        assertEquals(List.of(globex.id()), ids(in("globex", ALICE, c -> items.all(c, "globex", matrix))));

        var patch = new SyncListItems.Patch(RunMode.FULL, null, null, null, null);
        assertTrue(in("acme", ALICE, c -> items.patch(c, "acme", bobs.id(), patch)).isEmpty(), "cannot change it");
        assertFalse((boolean) in("acme", ALICE, c -> items.delete(c, "acme", bobs.id())), "cannot delete it");
        assertFalse((boolean) in("globex", WHOLE_TENANT, c -> items.delete(c, "acme", bobs.id())));
        assertEquals(RunMode.DELTA, in("acme", BOB, c -> items.find(c, "acme", bobs.id())).orElseThrow().mode());
        assertEquals(RunMode.FULL, in("acme", WHOLE_TENANT, c -> items.patch(c, "acme", bobs.id(), patch))
                .orElseThrow().mode(), "the whole tenant's scope changes any owner's item");
    }

    @Test
    void anOwnersScopeCannotAddAnItemForAnotherOwnerNorCanAScopeNamingNoOwner() throws SQLException {
        assertThrows(SQLException.class, () -> in("acme", ALICE, c -> items.insert(c, "acme", item(BOB, "cus_forged"))));
        assertThrows(SQLException.class, () -> in("acme", null, c -> items.insert(c, "acme", item(ALICE, "cus_unowned"))));
        assertThrows(SQLException.class, () -> in("globex", ALICE, c -> items.insert(c, "acme", item(ALICE, "cus_x"))),
                "another tenant's rows");
        assertInstanceOf(SyncListItems.Insertion.Added.class,
                in("acme", WHOLE_TENANT, c -> items.insert(c, "acme", item(BOB, "cus_for_bob"))));
    }

    @Test
    void listsFilterAndPageNewestFirst() throws SQLException {
        SyncListItem first = added("acme", "key:lister", "cus_list_1");
        SyncListItem second = added("acme", "key:lister", "cus_list_2");
        SyncListItem third = added("acme", "key:lister", "cus_list_3");
        in("acme", "key:lister", c -> items.patch(c, "acme", second.id(),
                new SyncListItems.Patch(null, false, null, null, Map.of("k", 1))));
        var all = SyncListItems.Filter.ALL;
        assertEquals(List.of(third.id(), second.id(), first.id()),
                ids(in("acme", "key:lister", c -> items.list(c, "acme", all, 10, 0))));
        assertEquals(List.of(second.id()), ids(in("acme", "key:lister", c -> items.list(c, "acme", all, 1, 1))));
        var inactive = new SyncListItems.Filter(null, null, null, null, false, null, null);
        assertEquals(List.of(second.id()), ids(in("acme", "key:lister", c -> items.list(c, "acme", inactive, 10, 0))));
        var full = new SyncListItems.Filter(null, null, null, RunMode.FULL, null, null, null);
        assertEquals(0L, (long) in("acme", "key:lister", c -> items.count(c, "acme", full)));
        var elsewhere = new SyncListItems.Filter(null, null, "other_collection", null, null, null, null);
        assertEquals(0L, (long) in("acme", "key:lister", c -> items.count(c, "acme", elsewhere)));
        var toIntercom = new SyncListItems.Filter(null, ItemStatus.PENDING, "stripe_customer", RunMode.DELTA, true,
                "intercom", null);
        assertEquals(2L, (long) in("acme", "key:lister", c -> items.count(c, "acme", toIntercom)));
        assertEquals(Map.of("k", 1), in("acme", "key:lister", c -> items.find(c, "acme", second.id()))
                .orElseThrow().metadata());
        assertTrue((boolean) in("acme", "key:lister", c -> items.delete(c, "acme", first.id())));
        assertEquals(2L, (long) in("acme", "key:lister", c -> items.count(c, "acme", all)));
    }

    @Test
    void aPushResultIsRecordedAndAFailureKeepsTheTargetIdAndHash() throws SQLException {
        SyncListItem item = added("acme", ALICE, "cus_pushed");
        UUID run = UUID.randomUUID();
        Instant at = Instant.parse("2026-05-01T12:00:00Z");
        byte[] hash = {1, 2, 3};
        in("acme", WHOLE_TENANT, c -> items.recordPush(c, "acme", item.id(),
                new SyncListItems.PushResult(ItemStatus.SUCCESS, null, "contact_1", hash, at, run)));
        SyncListItem pushed = in("acme", ALICE, c -> items.find(c, "acme", item.id())).orElseThrow();
        assertEquals(ItemStatus.SUCCESS, pushed.lastSyncStatus());
        assertEquals("contact_1", pushed.targetId());
        assertArrayEquals(hash, pushed.lastPushedHash());
        assertEquals(at, pushed.lastSyncedAt());
        assertEquals(run, pushed.lastSyncId());

        UUID next = UUID.randomUUID();
        assertTrue((boolean) in("acme", WHOLE_TENANT, c -> items.recordPush(c, "acme", item.id(),
                new SyncListItems.PushResult(ItemStatus.FAILED, "409 duplicate", null, null, at, next))));
        SyncListItem failed = in("acme", ALICE, c -> items.find(c, "acme", item.id())).orElseThrow();
        assertEquals(ItemStatus.FAILED, failed.lastSyncStatus());
        assertEquals("409 duplicate", failed.errorMessage());
        assertEquals("contact_1", failed.targetId());
        assertArrayEquals(hash, failed.lastPushedHash());
        assertEquals(next, failed.lastSyncId());
        assertFalse((boolean) in("acme", BOB, c -> items.recordPush(c, "acme", item.id(),
                new SyncListItems.PushResult(ItemStatus.SUCCESS, null, "x", hash, at, next))), "not Bob's item");
    }

    @Test
    void theItemsThatPushOnChangeAreTheActiveOnesOfThatRecordWithTheFlag() throws SQLException {
        SyncListItem eager = ((SyncListItems.Insertion.Added) in("acme", ALICE, c -> items.insert(c, "acme",
                new SyncListItems.NewItem(ALICE, "stripe", "stripe_customer", "cus_hook", "intercom",
                        "intercom_contact", RunMode.DELTA, true, true, null, Map.of())))).item();
        in("acme", BOB, c -> items.insert(c, "acme", new SyncListItems.NewItem(BOB, "stripe", "stripe_customer",
                "cus_hook", "intercom", "other_collection", RunMode.DELTA, false, true, null, Map.of())));
        in("acme", BOB, c -> items.insert(c, "acme", new SyncListItems.NewItem(BOB, "stripe", "stripe_customer",
                "cus_hook", "intercom", "third_collection", RunMode.DELTA, true, false, null, Map.of())));
        assertEquals(List.of(eager.id()), ids(in("acme", WHOLE_TENANT, c -> items.pushedOnChange(c, "acme", "stripe",
                "stripe_customer", "cus_hook"))));
    }

    @Test
    void aSavedFiltersNonArchivedMatchesAreAddedOnceEachKeepingTheFilter() throws SQLException {
        database.execute("""
                INSERT INTO tributary.entities (tenant_id, app_key, collection_key, external_id, raw_payload,
                                                content_hash, archived_at, first_seen_at, last_seen_at, updated_at)
                VALUES ('acme', 'stripe', 'filtered', 'f1', '{"status": "active"}', '\\x01', NULL, now(), now(), now()),
                       ('acme', 'stripe', 'filtered', 'f2', '{"status": "active"}', '\\x02', NULL, now(), now(), now()),
                       ('acme', 'stripe', 'filtered', 'f3', '{"status": "active"}', '\\x03', now(), now(), now(), now()),
                       ('acme', 'stripe', 'filtered', 'f4', '{"status": "closed"}', '\\x04', NULL, now(), now(), now()),
                       ('globex', 'stripe', 'filtered', 'f5', '{"status": "active"}', '\\x05', NULL, now(), now(), now())""");
        Map<String, Object> config = Map.of("predicates", List.of(Map.of("pointer", "/status", "in", List.of("active"))));
        var filter = new SavedFilter("acme", UUID.randomUUID(), "key:filterer", "active ones", null, "stripe",
                "filtered", "intercom", "intercom_contact", config, Instant.now(), Instant.now());
        in("acme", "key:other", c -> items.insert(c, "acme", new SyncListItems.NewItem("key:other", "stripe",
                "filtered", "f2", "intercom", "intercom_contact", RunMode.DELTA, true, false, null, Map.of())));

        var mapping = Map.<String, Object>of("email", "/email");
        SyncListItems.FilterAddition first = in("acme", "key:filterer", c -> items.insertFromFilter(c, "acme",
                "key:filterer", filter, RunMode.FULL, true, mapping));
        assertEquals(1, first.alreadyListed());
        List<SyncListItem> listed = in("acme", "key:filterer", c -> items.all(c, "acme",
                new SyncListItems.Filter(null, null, null, null, null, null, filter.id())));
        assertEquals(List.of("f1"), listed.stream().map(SyncListItem::sourceId).toList());
        SyncListItem added = listed.get(0);
        assertEquals(List.of(added.id()), ids(first.added()), "the rows it returns are the ones it added");
        assertEquals("key:filterer", first.added().get(0).owner());
        assertEquals(config, added.filterConfig());
        assertEquals(mapping, added.fieldMapping());
        assertEquals(RunMode.FULL, added.mode());
        assertTrue(added.pushOnChange());
        assertEquals("intercom_contact", added.targetCollection());
        assertEquals(new SyncListItems.FilterAddition(List.of(), 2), in("acme", "key:filterer",
                c -> items.insertFromFilter(c, "acme", "key:filterer", filter, RunMode.DELTA, false, null)),
                "added again: all listed already");
    }

    private static List<UUID> ids(List<SyncListItem> listed) {
        return listed.stream().map(SyncListItem::id).toList();
    }
}
