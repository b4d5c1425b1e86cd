package dev.tributary.api.limit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Request budgets ({@code tributary.rate-limit.*}), counted on each node separately:
 * per credential and minute, sync triggers (runs, retries, reruns) and everything else
 * under {@code /api}; per app and second, provider webhooks.
 */
@ConfigurationProperties("tributary.rate-limit")
@Context // checked at start-up: a bad budget stops the service, not its first request
public record RateLimitConfiguration(@Min(1) @Max(100_000) int syncTriggersPerMinute,
                                     @Min(1) @Max(1_000_000) int requestsPerMinute,
                                     @Min(1) @Max(1_000_000) int webhooksPerSecond) {
}
