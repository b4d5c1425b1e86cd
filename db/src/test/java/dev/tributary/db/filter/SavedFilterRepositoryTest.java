package dev.tributary.db.filter;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code saved_filters} through its repository on a real PostgreSQL, as the service's runtime role: the
 * filter column round trip, one name per owner, and row-level security's owner matrix — an owner sees,
 * changes and deletes only its own filters, the whole tenant's scope sees them all, another tenant none, and
 * a transaction that names no owner nothing at all.
 */
class SavedFilterRepositoryTest {

    private static final String ANN = "key:11111111-1111-1111-1111-111111111111";
    private static final String BOB = "jwt:bob";
    private static final String WHOLE_TENANT = "*";

    private final TestDatabase database = TestPostgres.freshDatabase();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private ApplicationContext context;
    private SavedFilterRepository filters;
    private TransactionOperations<Connection> transactions;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void start() throws SQLException {
        context = ApplicationContext.run(database.contextProperties());
        filters = context.getBean(SavedFilterRepository.class);
        transactions = context.getBean(TransactionOperations.class);
        database.execute("""
                INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex');
                INSERT INTO tributary.apps (tenant_id, app_key, connector, name) VALUES
                  ('acme', 'shop', 'http-json', 'Shop'), ('acme', 'crm', 'intercom', 'CRM'),
                  ('globex', 'shop', 'http-json', 'Shop'), ('globex', 'crm', 'intercom', 'CRM')""");
    }

    @AfterEach
    void stop() {
        context.close();
    }

    /** Runs {@code work} as TenantScope does: tenant and owner named for the transaction ({@code null}: unset). */
    private <T> T as(String tenant, String owner, Supplier<T> work) {
        return transactions.executeWrite(status -> {
            try (var statement = status.getConnection().prepareStatement(
                    "SELECT set_config('tributary.tenant_id', ?, true), set_config('tributary.user_id', ?, true)")) {
                statement.setString(1, tenant);
                statement.setString(2, owner == null ? "" : owner);
                statement.execute();
            }
            return work.get();
        });
    }

    private SavedFilter filter(String tenant, String owner, String name) {
        return new SavedFilter(tenant, UUID.randomUUID(), owner, name, "about " + name, "shop", "products", "crm",
                "intercom_contact", FilterConfig.parse(Map.of("predicates", List.of(Map.of("pointer", "/status",
                "in", List.of("active"))), "updated_after", "2024-01-01T00:00:00Z"), "filter_config").asMap(),
                now, now);
    }

    private List<String> names(String tenant, String owner) {
        return as(tenant, owner, () -> filters.list(tenant, null, null, 100, 0)).stream().map(SavedFilter::name)
                .sorted().toList();
    }

    @Test
    void aFilterComesBackAsStoredAndItsNameIsItsOwnersOnce() throws SQLException {
        SavedFilter ann = filter("acme", ANN, "active");
        assertTrue(as("acme", ANN, () -> filters.insertIfAbsent(ann)));
        assertEquals(ann, as("acme", ANN, () -> filters.find("acme", ann.id())).orElseThrow());
        assertEquals(ann.filterConfig(), as("acme", ANN, () -> filters.find("acme", ann.id())).orElseThrow()
                .filter().asMap());
        assertEquals("[\"active\"]", database.queryText("SELECT filter_config #> '{predicates,0,in}'"
                + " FROM tributary.saved_filters"));
        assertFalse(as("acme", ANN, () -> filters.insertIfAbsent(filter("acme", ANN, "active"))), "same owner, same name");
        assertTrue(as("acme", BOB, () -> filters.insertIfAbsent(filter("acme", BOB, "active"))), "another owner");

        SavedFilter other = filter("acme", ANN, "other");
        as("acme", ANN, () -> filters.insertIfAbsent(other));
        SavedFilter renamed = new SavedFilter("acme", other.id(), ANN, "active", null, "shop", "products", "crm",
                "intercom_contact", other.filterConfig(), other.createdAt(), now.plusSeconds(1));
        RuntimeException taken = assertThrows(RuntimeException.class, () -> as("acme", ANN, () -> filters.update(renamed)));
        assertTrue(SavedFilterRepository.nameTaken(taken), taken.toString());
        assertFalse(SavedFilterRepository.nameTaken(new IllegalStateException("other")));
        assertEquals(List.of("active", "other"), names("acme", ANN), "the failed rename changed nothing");
    }

    @Test
    void listsAreNewestFirstAndFilterBySourceAppAndCollection() {
        for (int i = 0; i < 3; i++) {
            SavedFilter f = filter("acme", ANN, "f" + i);
            SavedFilter at = new SavedFilter(f.tenantId(), f.id(), f.owner(), f.name(), f.description(),
                    f.sourceAppKey(), i == 2 ? "orders" : "products", f.targetAppKey(), f.targetCollection(),
                    f.filterConfig(), now.plusSeconds(i), now.plusSeconds(i));
            as("acme", ANN, () -> filters.insertIfAbsent(at));
        }
        assertEquals(List.of("f2", "f1", "f0"), as("acme", ANN, () -> filters.list("acme", null, null, 10, 0))
                .stream().map(SavedFilter::name).toList());
        assertEquals(List.of("f1"), as("acme", ANN, () -> filters.list("acme", "shop", "products", 1, 0))
                .stream().map(SavedFilter::name).toList());
        assertEquals(2, as("acme", ANN, () -> filters.count("acme", "shop", "products")));
        assertEquals(0, as("acme", ANN, () -> filters.count("acme", "crm", null)));
        assertEquals(3, as("acme", ANN, () -> filters.count("acme", null, null)));
    }

    @Test
    void rowLevelSecurityAdmitsAnOwnersRowsToItAloneAndTheWholeTenantToAdmins() throws SQLException {
        SavedFilter ann = filter("acme", ANN, "ann's");
        SavedFilter bob = filter("acme", BOB, "bob's");
        as("acme", ANN, () -> filters.insertIfAbsent(ann));
        as("acme", BOB, () -> filters.insertIfAbsent(bob));
        as("globex", WHOLE_TENANT, () -> filters.insertIfAbsent(filter("globex", ANN, "globex's")));

        // Each owner sees its own, the whole tenant both, another tenant none of acme's.
        assertEquals(List.of("ann's"), names("acme", ANN));
        assertEquals(List.of("bob's"), names("acme", BOB));
        assertEquals(List.of("ann's", "bob's"), names("acme", WHOLE_TENANT));
        assertEquals(List.of("globex's"), names("globex", WHOLE_TENANT));
        assertEquals(List.of("globex's"), names("globex", ANN), "the same owner id in another tenant");
        assertTrue(as("globex", WHOLE_TENANT, () -> filters.find("globex", ann.id())).isEmpty());
        assertTrue(as("globex", WHOLE_TENANT, () -> filters.find("acme", ann.id())).isEmpty(),
                "naming another tenant in the query does not reach it");
        assertEquals(List.of(), names("acme", null), "no owner named: nothing");
        assertEquals(0, as("acme", null, () -> filters.count("acme", null, null)));

        // Ann cannot read, change or delete Bob's filter; it stays as it was.
        assertTrue(as("acme", ANN, () -> filters.find("acme", bob.id())).isEmpty());
        assertTrue(as("acme", ANN, () -> filters.findLocked("acme", bob.id())).isEmpty());
        SavedFilter hijacked = new SavedFilter("acme", bob.id(), BOB, "mine now", null, "shop", "products", "crm",
                "intercom_contact", Map.of("predicates", List.of()), now, now);
        assertFalse(as("acme", ANN, () -> filters.update(hijacked)));
        assertEquals(0, as("acme", ANN, () -> filters.delete("acme", bob.id())));
        assertEquals(0, as("acme", null, () -> filters.delete("acme", bob.id())));
        assertEquals(0, as("globex", WHOLE_TENANT, () -> filters.delete("acme", bob.id())));
        assertEquals(bob, as("acme", BOB, () -> filters.find("acme", bob.id())).orElseThrow());

        // Nor can she write a filter in Bob's name, or anyone one without an owner named.
        assertThrows(RuntimeException.class, () -> as("acme", ANN, () -> filters.insertIfAbsent(filter("acme", BOB, "x"))));
        assertThrows(RuntimeException.class, () -> as("acme", null, () -> filters.insertIfAbsent(filter("acme", ANN, "y"))));
        assertEquals(3, database.queryLong("SELECT count(*) FROM tributary.saved_filters"));

        // The whole tenant's scope changes and deletes any owner's, keeping the owner.
        assertTrue(as("acme", WHOLE_TENANT, () -> filters.update(new SavedFilter("acme", bob.id(), BOB, "renamed",
                null, "shop", "products", "crm", "intercom_contact", bob.filterConfig(), now, now))));
        assertEquals(List.of("renamed"), names("acme", BOB));
        assertEquals(1, as("acme", WHOLE_TENANT, () -> filters.delete("acme", ann.id())));
        assertEquals(1, as("acme", BOB, () -> filters.delete("acme", bob.id())));
        assertEquals(List.of(), names("acme", WHOLE_TENANT));
    }
}
