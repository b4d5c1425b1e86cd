package dev.tributary.tenancy;

import java.util.Set;

/**
 * Who is calling, once a bearer credential checked out: a stable id for rate
 * limits and logs ({@code key:<uuid>} or {@code jwt:<sub>}, never secret), the
 * tenants it may act for, and its strongest role (none when it named none we know).
 */
public record Principal(String id, Set<String> tenants, java.util.Optional<Role> role) {

    public Principal {
        tenants = Set.copyOf(tenants);
    }

    public boolean grants(TenantId tenant) {
        return tenants.contains(tenant.value());
    }

    public boolean has(Role required) {
        return role.map(r -> r.implies(required)).orElse(false);
    }
}
