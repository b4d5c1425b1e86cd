package dev.tributary.api.limit;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.problem.ApiProblem;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Spends one permit of the caller's budget per {@code /api} request (after
 * authentication, so budgets are per credential) and refuses with 429 and
 * {@code Retry-After} in whole seconds when the minute's budget is gone.
 */
@ServerFilter("/api/**")
public class RateLimitFilter implements Ordered {

    /** Endpoints that start work: runs, retries, reruns and pushes of the sync list. */
    private static final Pattern SYNC_TRIGGER = Pattern.compile(
            "^/api/(sync(/retry|/failures/[^/]+/retry|/status/[^/]+/rerun)?|sync-list/delta-sync)/?$");

    private final RateLimiterRegistry triggers;
    private final RateLimiterRegistry requests;
    private final MeterRegistry meters;

    public RateLimitFilter(RateLimitConfiguration configuration, MeterRegistry meters) {
        this.triggers = RateLimiterRegistry.of(perMinute(configuration.syncTriggersPerMinute()));
        this.requests = RateLimiterRegistry.of(perMinute(configuration.requestsPerMinute()));
        this.meters = meters;
    }

    @RequestFilter
    public void spendPermit(HttpRequest<?> request) {
        var caller = CallerTenant.of(request).orElse(null);
        if (caller == null) {
            return;
        }
        boolean trigger = request.getMethod() == HttpMethod.POST && SYNC_TRIGGER.matcher(request.getPath()).matches();
        String kind = trigger ? "sync_trigger" : "request";
        RateLimiter limiter = (trigger ? triggers : requests).rateLimiter(kind + ":" + caller.principal().id());
        if (!limiter.acquirePermission()) {
            meters.counter("tributary.rate_limit.rejections", "kind", kind).increment();
            long nanosToWait = limiter instanceof AtomicRateLimiter atomic
                    ? atomic.getDetailedMetrics().getNanosToWait() : Duration.ofMinutes(1).toNanos();
            long seconds = Math.max(1, (long) Math.ceil(nanosToWait / 1e9));
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                    "Too many " + (trigger ? "sync triggers" : "requests") + " for this credential; retry in "
                            + seconds + " s", List.of(), Map.of("Retry-After", Long.toString(seconds)));
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    private static RateLimiterConfig perMinute(int permits) {
        return RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO)
                .build();
    }
}
