package dev.tributary.tenancy;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a bearer credential into a {@link Principal}: an API key ({@code trb_live_…})
 * or a JWT with {@code sub}, {@code exp}, {@code tenant_id} or {@code tenants}, and
 * {@code roles}. Empty means the credential is missing, malformed, expired, badly
 * signed or revoked — all answered 401 alike.
 */
@Singleton
public class Authenticator {

    private final ApiKeys apiKeys;
    private final JwtVerifier jwtVerifier;
    private final TenantRepository tenants;

    public Authenticator(ApiKeys apiKeys, JwtVerifier jwtVerifier, TenantRepository tenants) {
        this.apiKeys = apiKeys;
        this.jwtVerifier = jwtVerifier;
        this.tenants = tenants;
    }

    public Optional<Principal> authenticate(String bearer) {
        if (bearer.startsWith(ApiKeys.KEY_PREFIX)) {
            return apiKeys.authenticate(bearer).map(grant -> new Principal("key:" + grant.keyId(),
                    Set.of(grant.tenantId()), Role.strongest(List.of(grant.roles()))));
        }
        return jwtVerifier.verify(bearer).flatMap(Authenticator::fromClaims);
    }

    /** Whether the tenant exists and is enabled; a disabled tenant's credentials are refused (403). */
    public boolean isActive(TenantId tenant) {
        return tenants.findById(tenant.value()).map(t -> !t.disabled()).orElse(false);
    }

    private static Optional<Principal> fromClaims(JWTClaimsSet claims) {
        try {
            String tenant = claims.getStringClaim("tenant_id");
            List<String> tenantList = claims.getStringListClaim("tenants");
            Set<String> granted = tenant != null ? Set.of(tenant) : tenantList != null ? Set.copyOf(tenantList) : Set.of();
            List<String> roles = claims.getStringListClaim("roles");
            return Optional.of(new Principal("jwt:" + claims.getSubject(), granted,
                    Role.strongest(roles == null ? List.of() : roles)));
        } catch (ParseException e) {
            // A claim of the wrong type: the token does not say what we need.
            return Optional.empty();
        }
    }
}
