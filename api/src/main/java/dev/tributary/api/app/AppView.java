package dev.tributary.api.app;

import dev.tributary.db.app.App;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/** An app as the API shows it: never its credentials nor its webhook secret, only whether credentials are set. */
@Schema(name = "App")
@Serdeable
public record AppView(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = AppRequest.APP_KEY_PATTERN) String appKey,
        String connector,
        String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> config,
        boolean credentialsSet,
        @Nullable @Schema(nullable = false, description = "absent when the app has none") Instant syncFrom,
        ScheduleView schedule,
        RetryPolicyView retryPolicy,
        Alerts alerts,
        Instant createdAt,
        Instant updatedAt) {

    @Schema(name = "Schedule")
    @Serdeable
    public record ScheduleView(
            @Nullable @Schema(nullable = false, description = "absent when the app has no schedule") String cron,
            @Nullable @Schema(nullable = false, description = "absent when the app has no schedule") String timezone,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"full", "incremental"}) String mode,
            boolean enabled) {
    }

    @Schema(name = "RetryPolicy")
    @Serdeable
    public record RetryPolicyView(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1", maximum = "20") int maxAttempts) {
    }

    static AppView of(App app) {
        return new AppView(app.appKey(), app.connector(), app.name(), app.config(), app.credentialsEnc() != null,
                app.syncFrom(), new ScheduleView(app.scheduleCron(), app.scheduleTimezone(), app.scheduleMode(),
                app.scheduleEnabled()), new RetryPolicyView(app.retryMaxAttempts()),
                new Alerts(app.alerts().webhookUrl(), app.alerts().emails(), null),
                app.createdAt(), app.updatedAt());
    }
}
