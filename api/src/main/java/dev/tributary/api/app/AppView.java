package dev.tributary.api.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/** An app as the API shows it: never its credentials, only whether some are set. */
@Serdeable
public record AppView(String appKey, String connector, String name, Map<String, Object> config,
                      boolean credentialsSet, @Nullable Instant syncFrom, ScheduleView schedule,
                      RetryPolicyView retryPolicy, AppRequest.Alerts alerts, Instant createdAt, Instant updatedAt) {

    @Serdeable
    public record ScheduleView(@Nullable String cron, @Nullable String timezone, String mode, boolean enabled) {
    }

    @Serdeable
    public record RetryPolicyView(int maxAttempts) {
    }
}
