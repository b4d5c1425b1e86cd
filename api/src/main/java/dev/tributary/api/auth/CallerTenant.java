package dev.tributary.api.auth;

import dev.tributary.tenancy.Principal;
import dev.tributary.tenancy.TenantId;
import io.micronaut.http.HttpRequest;

import java.util.Optional;

/**
 * The authenticated caller of an {@code /api} request and the tenant it acts for, established by
 * {@link TenantAccessRule}. Controllers take it as {@code @RequestAttribute(CallerTenant.ATTRIBUTE)}.
 */
public record CallerTenant(Principal principal, TenantId tenant) {

    public static final String ATTRIBUTE = "tributary.caller";

    public static Optional<CallerTenant> of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, CallerTenant.class);
    }
}
