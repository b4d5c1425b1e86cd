package dev.tributary.tenancy;

import dev.tributary.db.TestPostgres;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest implements TestPropertyProvider {

    @Inject TenantRepository tenants;
    @Inject ApiKeys apiKeys;
    @Inject TenantScope scope;
    @Inject DataSource dataSource;
    @Inject DataSourceResolver dataSourceResolver;

    private final TenantId acme = new TenantId("acme");
    private final TenantId globex = new TenantId("globex");

    @Override
    public Map<String, String> getProperties() {
        return TestPostgres.freshDatabase().micronautProperties();
    }

    @BeforeAll
    void twoTenantsWithAKeyEach() {
        tenants.save(new Tenant("acme", "Acme", Instant.now(), null));
        tenants.save(new Tenant("globex", "Globex", Instant.now(), null));
        apiKeys.issue(acme, "ci", Set.of(Role.SYNC_READ));
        apiKeys.issue(globex, "ci", Set.of(Role.SYNC_WRITE));
    }

    @Test
    void anUnfilteredSelectSeesOnlyTheScopedTenantsRows() {
        assertEquals(List.of("acme"), scope.read(acme, () -> tenantIdsOfAllApiKeys()));
        assertEquals(List.of("globex"), scope.read(globex, () -> tenantIdsOfAllApiKeys()));
    }

    @Test
    void anOwnersTransactionNamesItsOwnerAndTheWholeTenantIsNamedByAStar() {
        assertEquals("key:alice", scope.readJdbc(acme, Ownership.only("key:alice"), TenantIsolationTest::owner));
        assertEquals("*", scope.readJdbc(acme, TenantIsolationTest::owner));
        var admin = new Principal("jwt:root", Set.of("acme"), java.util.Optional.of(Role.SYNC_ADMIN));
        var writer = new Principal("jwt:bob", Set.of("acme"), java.util.Optional.of(Role.SYNC_WRITE));
        assertEquals("*", scope.readJdbc(acme, Ownership.of(admin), TenantIsolationTest::owner));
        assertEquals("jwt:bob", scope.readJdbc(acme, Ownership.of(writer), TenantIsolationTest::owner));
    }

    @Test
    void aWholeTenantScopeJoiningAnOwnersTransactionDoesNotWidenItsRest() {
        List<String> seen = scope.writeJdbc(acme, Ownership.only("key:alice"), c -> {
            String inner = scope.readJdbc(globex, TenantIsolationTest::owner);
            return List.of(inner, owner(c), tenantIdsOfAllApiKeys(c).get(0));
        });
        assertEquals(List.of("*", "key:alice", "acme"), seen);
    }

    private static String owner(Connection connection) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT current_setting('tributary.user_id', true)");
             var rs = statement.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void withNoTenantSetNothingIsVisible() {
        assertEquals(List.of(), tenantIdsOutsideAnyScope());
    }

    @Test
    void issuedKeyAuthenticatesUntilRevokedAndOnlyItsHashIsStored() {
        var issued = apiKeys.issue(acme, "deploy", Set.of(Role.SYNC_ADMIN, Role.SYNC_READ));
        assertTrue(issued.key().startsWith("trb_live_"));
        assertTrue(issued.key().length() >= "trb_live_".length() + 43, "at least 256 bits of randomness");
        assertTrue(issued.key().startsWith(issued.stored().prefix()));
        assertArrayEquals(ApiKeys.sha256(issued.key()), issued.stored().keyHash());
        assertArrayEquals(new String[]{"sync:read", "sync:admin"}, issued.stored().roles());

        var grant = apiKeys.authenticate(issued.key()).orElseThrow();
        assertEquals("acme", grant.tenantId());
        assertEquals(issued.stored().id(), grant.keyId());
        assertNotNull(apiKeys.list(acme).stream().filter(k -> k.id().equals(grant.keyId())).findFirst()
                .orElseThrow().lastUsedAt(), "last_used_at is recorded");

        apiKeys.revoke(acme, issued.stored().id()).orElseThrow();
        assertTrue(apiKeys.authenticate(issued.key()).isEmpty());
        assertTrue(apiKeys.authenticate(issued.key() + "x").isEmpty());
        assertTrue(apiKeys.authenticate("not-a-key").isEmpty());
    }

    @Test
    void aTenantCannotRevokeAnotherTenantsKey() {
        var globexKey = apiKeys.issue(globex, "other", Set.of(Role.SYNC_READ));
        assertTrue(apiKeys.revoke(acme, globexKey.stored().id()).isEmpty());
        assertTrue(apiKeys.authenticate(globexKey.key()).isPresent());
        assertFalse(apiKeys.list(acme).stream().anyMatch(k -> k.tenantId().equals("globex")));
    }

    /** Inside a tenant scope: the transaction-aware data source hands out the scoped connection. */
    private List<String> tenantIdsOfAllApiKeys() {
        try {
            return tenantIdsOfAllApiKeys(dataSource.getConnection());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Outside any scope: a raw pool connection, with no tenant set. */
    private List<String> tenantIdsOutsideAnyScope() {
        try (Connection c = dataSourceResolver.resolve(dataSource).getConnection()) {
            return tenantIdsOfAllApiKeys(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> tenantIdsOfAllApiKeys(Connection connection) throws SQLException {
        // Deliberately no WHERE clause: row-level security is the only filter here.
        try (var statement = connection.prepareStatement("SELECT DISTINCT tenant_id FROM api_keys")) {
            var rs = statement.executeQuery();
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        }
    }
}
