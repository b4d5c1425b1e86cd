package dev.tributary.scheduler.engine;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The sync engine's settings ({@code tributary.engine.*}; defaults in application.yml).
 *
 * @param deletionGuard      the largest fraction of a collection one full sync may delete without force
 * @param rateLimitWaits     how many times one page may wait out a 429 before the run is retried later
 * @param longestRateLimitWait a Retry-After longer than this is not waited in-run: the run is retried later
 * @param pageTimeout        the progress watchdog: an attempt whose source yields no page for this long
 *                           (not counting Retry-After waits) fails retriably, freeing its worker and lock
 */
@Context // checked at start-up: a bad setting stops the service, not its first sync
@ConfigurationProperties("tributary.engine")
public record EngineConfiguration(@DecimalMin("0.0") @DecimalMax("1.0") double deletionGuard,
                                  @Min(0) @Max(100) int rateLimitWaits,
                                  Duration longestRateLimitWait,
                                  @NotNull Duration pageTimeout) {

    public EngineConfiguration {
        if (pageTimeout != null && (pageTimeout.isNegative() || pageTimeout.toMillis() < 1)) {
            throw new IllegalArgumentException("invalid setting tributary.engine.page-timeout"
                    + " (TRIBUTARY_ENGINE_PAGE_TIMEOUT): must be at least 1ms");
        }
    }
}
