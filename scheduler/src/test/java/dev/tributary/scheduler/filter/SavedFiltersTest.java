package dev.tributary.scheduler.filter;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.filter.SavedFilter;
import dev.tributary.scheduler.NodeSettings;
import dev.tributary.scheduler.Refusal;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.push.PushEndApps;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The saved filters service on a real PostgreSQL with real connectors: what a filter's source and target must
 * be, the target collection's default, one name per owner (also when two requests race), and each change
 * kept to the caller's own filters.
 */
class SavedFiltersTest {

    private static final Map<String, Object> ACTIVE = Map.of("predicates",
            List.of(Map.of("pointer", "/status", "in", List.of("active"))));

    private final FakeSaasServer saas = FakeSaasServer.start();
    private final TestDatabase database = TestPostgres.freshDatabase();
    private final TenantId acme = new TenantId("acme");
    private final Ownership ann = Ownership.only("key:ann");
    private final Ownership bob = Ownership.only("jwt:bob");
    private ApplicationContext context;
    private SavedFilters filters;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> properties = NodeSettings.on(database);
        properties.put("tributary.connectors.http-json.allow-private-addresses", "true");
        context = ApplicationContext.run(properties);
        filters = context.getBean(SavedFilters.class);
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
        PushEndApps.create(context.getBean(Apps.class), acme, saas.baseUri());
    }

    @AfterEach
    void stop() {
        context.close();
        saas.close();
    }

    private static SavedFilterDefinition definition(String name, String target, String targetCollection) {
        return new SavedFilterDefinition(name, null, "shop", "products", target, targetCollection, ACTIVE);
    }

    private Refusal.InvalidField invalid(SavedFilterDefinition definition) {
        return assertThrows(Refusal.InvalidField.class, () -> filters.create(acme, ann, definition));
    }

    @Test
    void aFilterIsStoredForItsOwnerWithTheTargetsOnlyWritableCollection() throws Exception {
        SavedFilter saved = filters.create(acme, ann, new SavedFilterDefinition("  Active  ", "shop's active ones",
                "shop", "products", "crm", null, ACTIVE));
        assertEquals("key:ann", saved.owner());
        assertEquals("Active", saved.name());
        assertEquals("intercom_contact", saved.targetCollection());
        assertEquals(Map.of("predicates", List.of(Map.of("pointer", "/status", "in", List.of("active")))),
                saved.filterConfig());
        assertEquals(saved, filters.get(acme, ann, saved.id()));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.saved_filters WHERE owner = 'key:ann'"));
    }

    @Test
    void sourceAndTargetAreCheckedAgainstTheirConnectors() {
        assertEquals("collection", invalid(new SavedFilterDefinition("x", null, "shop", "refunds", "crm", null,
                ACTIVE)).field());
        var unknown = assertThrows(Refusal.AppNotFound.class, () -> filters.create(acme, ann,
                new SavedFilterDefinition("x", null, "nope", "products", "crm", null, ACTIVE)));
        assertEquals("source_app_key", unknown.field());
        unknown = assertThrows(Refusal.AppNotFound.class, () -> filters.create(acme, ann,
                definition("x", "nope", null)));
        assertEquals("target_app_key", unknown.field());
        var stripe = assertThrows(Refusal.NotADestination.class, () -> filters.create(acme, ann,
                definition("x", "billing", null)));
        assertEquals("billing", stripe.appKey());
        var readOnly = assertThrows(Refusal.NotADestination.class, () -> filters.create(acme, ann,
                definition("x", "shop", null)));
        assertTrue(readOnly.getMessage().contains("declares no collection to write"), readOnly.getMessage());

        Refusal.InvalidField several = invalid(definition("x", "outbox", null));
        assertEquals("target_collection", several.field());
        assertTrue(several.reason().contains("leads, deals"), several.reason());
        assertEquals("target_collection", invalid(definition("x", "outbox", "contacts")).field());
        assertEquals("deals", filters.create(acme, ann, definition("x", "outbox", "deals")).targetCollection());
    }

    @Test
    void everyMemberIsCheckedBeforeAnyAppIsLookedUp() {
        assertEquals("name", invalid(new SavedFilterDefinition(" ", null, "nope", "products", "crm", null, ACTIVE))
                .field());
        assertEquals("name", invalid(new SavedFilterDefinition("x".repeat(201), null, "nope", "p", "crm", null,
                ACTIVE)).field());
        assertEquals("description", invalid(new SavedFilterDefinition("x", "d".repeat(2001), "nope", "p", "crm",
                null, ACTIVE)).field());
        assertEquals("source_app_key", invalid(new SavedFilterDefinition("x", null, null, "p", "crm", null, ACTIVE))
                .field());
        assertEquals("collection", invalid(new SavedFilterDefinition("x", null, "nope", "a/b", "crm", null, ACTIVE))
                .field());
        assertEquals("target_collection", invalid(new SavedFilterDefinition("x", null, "nope", "p", "crm", "",
                ACTIVE)).field());
        assertEquals("filter_config", invalid(new SavedFilterDefinition("x", null, "nope", "p", "crm", null, null))
                .field());
        assertEquals("filter_config.predicates[0].gt", invalid(new SavedFilterDefinition("x", null, "nope", "p",
                "crm", null, Map.of("predicates", List.of(Map.of("pointer", "/a", "gt", 1))))).field());
    }

    @Test
    void aNameIsItsOwnersOnceEvenWhenTwoRequestsRace() throws Exception {
        SavedFilter first = filters.create(acme, ann, definition("Active", "crm", null));
        assertThrows(SavedFilterException.AlreadyExists.class, () -> filters.create(acme, ann,
                definition("Active", "crm", null)));
        filters.create(acme, bob, definition("Active", "crm", null));
        SavedFilter other = filters.create(acme, ann, definition("Other", "crm", null));
        assertThrows(SavedFilterException.AlreadyExists.class, () -> filters.update(acme, ann, other.id(),
                new SavedFilterChange("Active", null, null, null)));
        assertEquals("Other", filters.get(acme, ann, other.id()).name());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<SavedFilter>> racers = List.of(() -> filters.create(acme, ann, definition("Raced", "crm", null)),
                    () -> filters.update(acme, ann, first.id(), new SavedFilterChange("Raced", null, null, null)));
            List<Future<SavedFilter>> results = pool.invokeAll(racers);
            int refused = 0;
            for (Future<SavedFilter> result : results) {
                try {
                    result.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertInstanceOf(SavedFilterException.AlreadyExists.class, e.getCause());
                    refused++;
                }
            }
            assertEquals(1, refused);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.saved_filters WHERE name = 'Raced'"));
    }

    @Test
    void aChangeReplacesOnlyWhatItGivesAndChecksItAsACreationDoes() {
        SavedFilter saved = filters.create(acme, ann, new SavedFilterDefinition("Deals", "first", "shop", "products",
                "outbox", "leads", ACTIVE));
        SavedFilter changed = filters.update(acme, ann, saved.id(), new SavedFilterChange(null, null, "deals",
                Map.of("updated_after", "2024-01-01T00:00:00+01:00")));
        assertEquals("Deals", changed.name());
        assertEquals("first", changed.description());
        assertEquals("deals", changed.targetCollection());
        assertEquals(Map.of("predicates", List.of(), "updated_after", "2023-12-31T23:00:00Z"), changed.filterConfig());
        assertTrue(changed.updatedAt().isAfter(saved.updatedAt()) || changed.updatedAt().equals(saved.updatedAt()));
        assertEquals(saved.createdAt(), changed.createdAt());

        assertThrows(Refusal.InvalidField.class, () -> filters.update(acme, ann, saved.id(),
                new SavedFilterChange(null, null, "contacts", null)));
        assertThrows(Refusal.InvalidField.class, () -> filters.update(acme, ann, saved.id(),
                new SavedFilterChange(null, null, null, Map.of("predicates", "all"))));
        assertEquals(changed, filters.get(acme, ann, saved.id()), "refused changes changed nothing");
        assertEquals("now", filters.update(acme, ann, saved.id(), new SavedFilterChange(null, "now", null, null))
                .description());
    }

    @Test
    void anotherOwnersFilterIsNotFoundForAnyUseButTheWholeTenantsScopeReachesIt() throws Exception {
        SavedFilter bobs = filters.create(acme, bob, definition("Bob's", "crm", null));
        UUID id = bobs.id();
        assertThrows(SavedFilterException.NotFound.class, () -> filters.get(acme, ann, id));
        assertThrows(SavedFilterException.NotFound.class, () -> filters.update(acme, ann, id,
                new SavedFilterChange("Ann's now", null, null, null)));
        assertThrows(SavedFilterException.NotFound.class, () -> filters.delete(acme, ann, id));
        assertThrows(SavedFilterException.NotFound.class, () -> filters.matches(acme, ann, id, null, false, 20));
        assertEquals(0, filters.list(acme, ann, null, null, 20, 0).total());
        assertEquals(bobs, filters.get(acme, bob, id));

        Ownership admin = new Ownership("key:admin", true);
        assertEquals(List.of(bobs), filters.list(acme, admin, "shop", "products", 20, 0).filters());
        assertEquals("Renamed", filters.update(acme, admin, id, new SavedFilterChange("Renamed", null, null, null))
                .name());
        assertEquals("jwt:bob", filters.get(acme, bob, id).owner(), "an admin's change keeps the owner");
        filters.delete(acme, admin, id);
        assertThrows(SavedFilterException.NotFound.class, () -> filters.get(acme, bob, id));
        assertNull(database.queryText("SELECT name FROM tributary.saved_filters"));
    }
}
