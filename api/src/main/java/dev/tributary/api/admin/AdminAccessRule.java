package dev.tributary.api.admin;

import dev.tributary.api.problem.ApiProblem;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.PathMatcher;
import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.IpPatternsRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The gate of {@code /admin/**}, the operator's: with no admin key configured those endpoints do not exist
 * (404 to every request, credential or not); otherwise anything but the admin key — a tenant's key or JWT
 * included — is no credential here (401). The operator goes on to the route's {@code @Secured(OPERATOR)}.
 */
@Singleton
public class AdminAccessRule implements SecurityRule<HttpRequest<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAccessRule.class);

    private final boolean enabled;

    public AdminAccessRule(AdminConfiguration configuration) {
        this.enabled = configuration.enabled();
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (!enabled) {
            LOG.warn("TRIBUTARY_ADMIN_API_KEY is not set: admin endpoints (/admin/**) are off");
        }
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (!PathMatcher.ANT.matches("/admin/**", request.getPath())) {
            return Mono.just(SecurityRuleResult.UNKNOWN);
        }
        if (!enabled) {
            return Mono.error(ApiProblem.notFound("Page Not Found"));
        }
        if (authentication == null || !AdminKeyValidator.OPERATOR.equals(authentication.getName())) {
            return Mono.error(ApiProblem.unauthorized("A valid admin API key is required"));
        }
        return Mono.just(SecurityRuleResult.UNKNOWN);
    }

    @Override
    public int getOrder() {
        // Before micronaut-security's own rules, like the tenant gate of /api.
        return IpPatternsRule.ORDER - 100;
    }
}
