package dev.tributary.api.admin;

import dev.tributary.api.auth.BearerToken;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.tenancy.ApiKeys;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.runtime.event.annotation.EventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;

/**
 * Guards {@code /admin/**} with the operator key, compared in constant time (over
 * SHA-256 digests, so not even the key's length leaks). With no key configured
 * the admin endpoints do not exist: every request gets 404.
 */
@ServerFilter("/admin/**")
public class AdminAuthenticationFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAuthenticationFilter.class);

    private final byte[] expectedDigest;

    public AdminAuthenticationFilter(AdminConfiguration configuration) {
        this.expectedDigest = configuration.enabled() ? ApiKeys.sha256(configuration.adminApiKey()) : null;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (expectedDigest == null) {
            LOG.warn("TRIBUTARY_ADMIN_API_KEY is not set: admin endpoints (/admin/**) are off");
        }
    }

    @RequestFilter
    public void authenticate(HttpRequest<?> request) {
        if (expectedDigest == null) {
            throw ApiProblem.notFound("Page Not Found");
        }
        String presented = BearerToken.of(request).orElse("");
        if (!MessageDigest.isEqual(expectedDigest, ApiKeys.sha256(presented))) {
            throw ApiProblem.unauthorized("A valid admin API key is required");
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
