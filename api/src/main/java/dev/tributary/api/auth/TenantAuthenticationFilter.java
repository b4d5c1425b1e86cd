package dev.tributary.api.auth;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.request.LogContext;
import dev.tributary.tenancy.Authenticator;
import dev.tributary.tenancy.Principal;
import dev.tributary.tenancy.Role;
import dev.tributary.tenancy.TenantId;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.web.router.RouteAttributes;

import java.util.Optional;

/**
 * The gate of {@code /api/**}, checked in this order: a valid bearer credential
 * (else 401 with {@code WWW-Authenticate: Bearer}), a well-formed
 * {@code X-Tenant-ID} (else 400), a tenant the credential is granted and that is
 * enabled (else 403), and the role the route declares with {@link RequiresRole}
 * (else 403).
 */
@ServerFilter("/api/**")
public class TenantAuthenticationFilter implements Ordered {

    public static final String TENANT_HEADER = "X-Tenant-ID";
    private static final String ATTRIBUTE = "tributary.caller";

    private final Authenticator authenticator;

    public TenantAuthenticationFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    public static Optional<CallerTenant> caller(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, CallerTenant.class);
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public void authenticate(HttpRequest<?> request, MutablePropagatedContext propagatedContext) {
        Principal principal = BearerToken.of(request).flatMap(authenticator::authenticate)
                .orElseThrow(() -> ApiProblem.unauthorized("A valid bearer API key or JWT is required"));
        String header = request.getHeaders().get(TENANT_HEADER);
        if (header == null) {
            throw ApiProblem.badRequest("tenant_header_missing", "The X-Tenant-ID header is required");
        }
        TenantId tenant = TenantId.parse(header).orElseThrow(() -> ApiProblem.badRequest("tenant_header_invalid",
                "X-Tenant-ID must match " + TenantId.VALID.pattern()));
        if (!principal.grants(tenant) || !authenticator.isActive(tenant)) {
            throw ApiProblem.forbidden("This credential may not act for tenant " + tenant.value());
        }
        Role required = RouteAttributes.getRouteInfo(request)
                .flatMap(route -> route.getAnnotationMetadata().enumValue(RequiresRole.class, Role.class))
                // Routes that forgot to say are treated as the most sensitive.
                .orElse(Role.SYNC_ADMIN);
        if (!principal.has(required)) {
            throw ApiProblem.forbidden("This operation needs the role " + required.claim());
        }
        request.setAttribute(ATTRIBUTE, new CallerTenant(principal, tenant));
        LogContext.put(request, propagatedContext, "tenant", tenant.value());
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
