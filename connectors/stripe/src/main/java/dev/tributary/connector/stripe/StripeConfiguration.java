package dev.tributary.connector.stripe;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * How this service talks to Stripe ({@code tributary.connectors.stripe.*}): the API
 * base (Stripe's own unless a test or a proxy says otherwise), how many times the
 * SDK itself retries a call Stripe marks retriable, and how old a webhook signature
 * may be.
 */
@ConfigurationProperties("tributary.connectors.stripe")
public record StripeConfiguration(@Nullable String apiBase, @Nullable Integer maxNetworkRetries,
                                  @Nullable Duration webhookTolerance) {

    public String apiBaseOrDefault() {
        return apiBase == null || apiBase.isBlank() ? "https://api.stripe.com" : apiBase;
    }

    public int maxNetworkRetriesOrDefault() {
        return maxNetworkRetries == null ? 2 : maxNetworkRetries;
    }

    /** Stripe's libraries default to five minutes. */
    public Duration webhookToleranceOrDefault() {
        return webhookTolerance == null ? Duration.ofMinutes(5) : webhookTolerance;
    }
}
