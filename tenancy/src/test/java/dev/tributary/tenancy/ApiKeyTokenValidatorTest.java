package dev.tributary.tenancy;

import dev.tributary.db.TestPostgres;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyTokenValidatorTest implements TestPropertyProvider {

    @Inject ApiKeyTokenValidator<Object> validator;
    @Inject ApiKeys apiKeys;
    @Inject TenantRepository tenants;

    @Override
    public Map<String, String> getProperties() {
        return TestPostgres.freshDatabase().micronautProperties();
    }

    private Optional<Authentication> validate(String token) {
        return Mono.from(validator.validateToken(token, null)).blockOptional();
    }

    @Test
    void aLiveKeyAuthenticatesAsItsIdWithItsTenantAndImpliedRolesUntilItIsRevoked() {
        tenants.save(new Tenant("acme", "Acme", Instant.now(), null));
        TenantId acme = new TenantId("acme");
        var issued = apiKeys.issue(acme, "ci", Set.of(Role.SYNC_WRITE));

        Authentication authentication = validate(issued.key()).orElseThrow();
        assertEquals("key:" + issued.stored().id(), authentication.getName());
        assertEquals(Set.of("sync:read", "sync:write"), Set.copyOf(authentication.getRoles()));
        assertEquals(new Principal("key:" + issued.stored().id(), Set.of("acme"), Optional.of(Role.SYNC_WRITE)),
                Principal.of(authentication).orElseThrow());

        apiKeys.revoke(acme, issued.stored().id()).orElseThrow();
        assertTrue(validate(issued.key()).isEmpty(), "revoked: refused from the next request on");
    }

    @Test
    void tokensThatAreNoLiveKeyAreNotAuthenticated() {
        for (String token : List.of("trb_live_doesnotexist", "trb_live_", "not-a-key", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln")) {
            assertTrue(validate(token).isEmpty(), token);
        }
    }
}
