package dev.tributary.api.app;

import dev.tributary.db.app.App;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/** An app as the API shows it: never its credentials nor its webhook secret, only whether credentials are set. */
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

    static AppView of(App app) {
        return new AppView(app.appKey(), app.connector(), app.name(), app.config(), app.credentialsEnc() != null,
                app.syncFrom(), new ScheduleView(app.scheduleCron(), app.scheduleTimezone(), app.scheduleMode(),
                app.scheduleEnabled()), new RetryPolicyView(app.retryMaxAttempts()),
                new AppRequest.Alerts(app.alerts().webhookUrl(), app.alerts().emails(), null),
                app.createdAt(), app.updatedAt());
    }
}
