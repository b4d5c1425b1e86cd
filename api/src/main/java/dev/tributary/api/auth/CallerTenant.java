package dev.tributary.api.auth;

import dev.tributary.tenancy.Principal;
import dev.tributary.tenancy.TenantId;

/** The authenticated caller of an {@code /api} request and the tenant it acts for. */
public record CallerTenant(Principal principal, TenantId tenant) {
}
