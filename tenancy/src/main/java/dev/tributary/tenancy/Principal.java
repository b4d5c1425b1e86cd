package dev.tributary.tenancy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, once a tenant credential checked out: a stable id for rate limits and logs
 * ({@code key:<uuid>} or {@code jwt:<sub>}, never secret), the tenants it may act for, and its
 * strongest role (none when it named none we know). It travels through micronaut-security as an
 * {@link Authentication} named by the id, holding the role's {@link Role#impliedClaims() implied
 * claims} and the tenants as an attribute.
 */
public record Principal(String id, Set<String> tenants, Optional<Role> role) {

    /** The attribute holding a tenant credential's tenants; an Authentication without it is no tenant credential. */
    static final String TENANTS_ATTRIBUTE = "tenants";

    public Principal {
        tenants = Set.copyOf(tenants);
    }

    public boolean grants(TenantId tenant) {
        return tenants.contains(tenant.value());
    }

    public Authentication authentication() {
        return Authentication.build(id, role.map(Role::impliedClaims).orElse(List.of()),
                Map.of(TENANTS_ATTRIBUTE, List.copyOf(tenants)));
    }

    /** The tenant credential behind an Authentication; empty for none, or for one that is not a tenant's (the operator's). */
    public static Optional<Principal> of(@Nullable Authentication authentication) {
        if (authentication == null
                || !(authentication.getAttributes().get(TENANTS_ATTRIBUTE) instanceof Collection<?> granted)) {
            return Optional.empty();
        }
        return Optional.of(new Principal(authentication.getName(),
                granted.stream().map(String::valueOf).collect(Collectors.toSet()),
                Role.strongest(authentication.getRoles())));
    }
}
