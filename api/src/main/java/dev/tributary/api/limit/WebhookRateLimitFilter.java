package dev.tributary.api.limit;

import dev.tributary.api.problem.ApiProblem;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each app's webhook budget ({@code tributary.rate-limit.webhooks-per-second}, per node),
 * spent before anything else looks at the delivery: the endpoint has no bearer token, so
 * an unauthenticated flood must be refused before the app is looked up or a signature
 * checked and logged. Over it → 429 with {@code Retry-After}; providers retry later.
 * Budgets are kept for the {@value #APPS_KEPT} apps most recently called, so made-up
 * paths cannot grow this node's memory without bound.
 */
@ServerFilter("/webhooks/**")
public class WebhookRateLimitFilter implements Ordered {

    static final int APPS_KEPT = 10_000;

    private final RateLimiterConfig perSecond;
    private final MeterRegistry meters;
    private final Map<String, RateLimiter> limiters = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RateLimiter> eldest) {
            return size() > APPS_KEPT;
        }
    };

    public WebhookRateLimitFilter(RateLimitConfiguration configuration, MeterRegistry meters) {
        this.perSecond = RateLimiterConfig.custom()
                .limitForPeriod(configuration.webhooksPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build();
        this.meters = meters;
    }

    @RequestFilter
    public void spendPermit(HttpRequest<?> request) {
        String[] segments = request.getPath().split("/");
        if (segments.length != 4) {
            return; // not /webhooks/{tenant_id}/{app_key}: no route, nothing to protect
        }
        String app = segments[2] + "/" + segments[3];
        RateLimiter limiter;
        synchronized (limiters) {
            limiter = limiters.computeIfAbsent(app, name -> RateLimiter.of(name, perSecond));
        }
        if (!limiter.acquirePermission()) {
            meters.counter("tributary.rate_limit.rejections", "kind", "webhook").increment();
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                    "Too many webhook deliveries for this app; retry in 1 s", List.of(), Map.of("Retry-After", "1"));
        }
    }

    @Override
    public int getOrder() {
        // After the request id is assigned and oversized bodies are refused, before anything else.
        return ServerFilterPhase.FIRST.after() + 1;
    }
}
