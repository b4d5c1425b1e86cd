package dev.tributary.api.auth;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.tenancy.Principal;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.PathMatcher;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.IpPatternsRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.ExecutorService;

/**
 * The gate of {@code /api/**}, the first of micronaut-security's rules, refusing in this order: no tenant
 * credential (missing, malformed, expired, badly signed, revoked — or the operator's key) → 401 with
 * {@code WWW-Authenticate: Bearer}; a missing or malformed {@code X-Tenant-ID} → 400; a tenant the
 * credential is not granted, or a disabled one → 403. A request that passes carries its {@link CallerTenant}
 * and goes on to the route's {@code @Secured} role: 403 without it, and a route that declares none refuses
 * every caller ({@link AuthorizationProblemHandler} words both).
 */
@Singleton
public class TenantAccessRule implements SecurityRule<HttpRequest<?>> {

    public static final String TENANT_HEADER = "X-Tenant-ID";
    /** Before every rule of micronaut-security's, so that the role is checked last. */
    static final int ORDER = IpPatternsRule.ORDER - 100;

    private final TenantRepository tenants;
    private final Scheduler blocking;

    TenantAccessRule(TenantRepository tenants, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.tenants = tenants;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    /** The 401 of a request that brings no credential we accept. */
    static ApiProblem noCredential() {
        return ApiProblem.unauthorized("A valid bearer API key or JWT is required");
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (!PathMatcher.ANT.matches("/api/**", request.getPath())) {
            return Mono.just(SecurityRuleResult.UNKNOWN);
        }
        Principal principal = Principal.of(authentication).orElse(null);
        if (principal == null) {
            return Mono.error(noCredential());
        }
        String header = request.getHeaders().get(TENANT_HEADER);
        if (header == null) {
            return Mono.error(ApiProblem.badRequest("tenant_header_missing", "The X-Tenant-ID header is required"));
        }
        TenantId tenant = TenantId.parse(header).orElse(null);
        if (tenant == null) {
            return Mono.error(ApiProblem.badRequest("tenant_header_invalid",
                    "X-Tenant-ID must match " + TenantId.VALID.pattern()));
        }
        ApiProblem notGranted = ApiProblem.forbidden("This credential may not act for tenant " + tenant.value());
        if (!principal.grants(tenant)) {
            return Mono.error(notGranted);
        }
        return Mono.fromCallable(() -> tenants.findById(tenant.value()).filter(t -> !t.disabled()).isPresent())
                .subscribeOn(blocking)
                .flatMap(enabled -> {
                    if (!enabled) {
                        return Mono.error(notGranted);
                    }
                    request.setAttribute(CallerTenant.ATTRIBUTE, new CallerTenant(principal, tenant));
                    return Mono.just(SecurityRuleResult.UNKNOWN);
                });
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
