package dev.tributary.api.auth;

import dev.tributary.api.request.LogContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Puts the caller's tenant on every log line of an {@code /api} request once micronaut-security let it
 * through: a security rule has no propagated context to add the logging fields to, a filter does.
 */
@ServerFilter("/api/**")
public class TenantLogContextFilter implements Ordered {

    @RequestFilter
    public void logTenant(HttpRequest<?> request, MutablePropagatedContext propagatedContext) {
        CallerTenant.of(request).ifPresent(caller ->
                LogContext.put(request, propagatedContext, "tenant", caller.tenant().value()));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
