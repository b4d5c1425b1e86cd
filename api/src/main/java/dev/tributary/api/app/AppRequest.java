package dev.tributary.api.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/apps} and {@code PATCH /api/apps/{app_key}}. On
 * PATCH an absent (or null) member leaves that part of the app as it is.
 * {@code credentials} are write-only: sealed at rest and never returned.
 */
@Serdeable
public record AppRequest(@Nullable String appKey, @Nullable String connector, @Nullable String name,
                         @Nullable Map<String, Object> config, @Nullable Map<String, String> credentials,
                         @Nullable String syncFrom, @Nullable Schedule schedule, @Nullable RetryPolicy retryPolicy,
                         @Nullable Alerts alerts) {

    @Serdeable
    public record Schedule(@Nullable String cron, @Nullable String timezone, @Nullable String mode,
                           @Nullable Boolean enabled) {
    }

    @Serdeable
    public record RetryPolicy(@Nullable Integer maxAttempts) {
    }

    /**
     * Where failure alerts go: an HTTP endpoint (a POST signed with {@code webhook_secret}, which is
     * write-only and kept sealed) and/or email addresses.
     */
    @Serdeable
    public record Alerts(@Nullable String webhookUrl, @Nullable List<String> emails, @Nullable String webhookSecret) {
    }
}
