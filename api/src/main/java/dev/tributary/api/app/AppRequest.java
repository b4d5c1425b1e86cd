package dev.tributary.api.app;

import dev.tributary.api.request.IsoTimestamp;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.scheduler.app.AppDefinition;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/**
 * The body of {@code PATCH /api/apps/{app_key}} (and, through {@link AppCreate}, of {@code POST /api/apps}). On
 * PATCH an absent (or null) member leaves that part of the app as it is.
 * {@code credentials} are write-only: sealed at rest and never returned.
 */
@Schema(name = "AppUpdate", description = "What a PATCH changes: each member given replaces the app's, an absent one"
        + " leaves it as it is. `app_key` and `connector` never change (give them as they are, or leave them out).")
@Serdeable
public record AppRequest(
        @Nullable @Schema(nullable = false, pattern = APP_KEY_PATTERN, example = "orders",
                description = "the app's key, unique in the tenant") String appKey,
        @Nullable @Schema(nullable = false, example = "http-json",
                description = "the connector's `provider` (`GET /api/connectors`)") String connector,
        @Nullable @Schema(nullable = false, minLength = 1, maxLength = 200, example = "Orders API") String name,
        @Nullable @Schema(nullable = false, additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                description = "the connector's settings (its README lists them)") Map<String, Object> config,
        @Nullable @Schema(nullable = false, writeOnly = true, description = "the connector's secrets (a `token`,"
                + " a `client_secret`, …): sealed at rest, never returned") Map<String, String> credentials,
        @Nullable @Schema(nullable = false, format = "date-time", description = "records created before it are"
                + " not synced (ISO-8601 with offset)") String syncFrom,
        @Nullable @Schema(nullable = false) ScheduleSettings schedule,
        @Nullable @Schema(nullable = false) RetryPolicySettings retryPolicy,
        @Nullable @Schema(nullable = false) Alerts alerts) {

    static final String APP_KEY_PATTERN = "^[A-Za-z0-9_-]{1,64}$";

    /** The app this POST creates: what it gives, the defaults for the rest. */
    public AppDefinition created() {
        return merged(null);
    }

    /** What this PATCH makes of {@code current}: each member it gives replaces the app's. */
    public AppDefinition appliedTo(AppDefinition current) {
        return merged(current);
    }

    private AppDefinition merged(@Nullable AppDefinition current) {
        Instant from = syncFrom != null ? IsoTimestamp.parse("sync_from", syncFrom)
                : current == null ? null : current.syncFrom();
        String cron = schedule != null && schedule.cron() != null ? schedule.cron()
                : current == null ? null : current.schedule().cron();
        var mergedSchedule = new AppDefinition.Schedule(cron,
                schedule != null && schedule.timezone() != null ? schedule.timezone()
                        : current == null ? null : current.schedule().timezone(),
                schedule != null && schedule.mode() != null ? schedule.mode()
                        : current == null ? AppDefinition.Schedule.DEFAULT_MODE : current.schedule().mode(),
                // A new app with a cron runs on it unless told otherwise; a change keeps the app's choice.
                schedule != null && schedule.enabled() != null ? schedule.enabled()
                        : current != null ? current.schedule().enabled() : cron != null);
        int maxAttempts = retryPolicy != null && retryPolicy.maxAttempts() != null ? retryPolicy.maxAttempts()
                : current == null ? AppDefinition.DEFAULT_MAX_ATTEMPTS : current.maxAttempts();
        AlertTarget currentAlerts = current == null ? AlertTarget.NONE : current.alerts();
        // Given alerts replace the app's, but without a new secret a webhook keeps the one it had.
        AlertTarget mergedAlerts = alerts == null ? currentAlerts : new AlertTarget(alerts.webhookUrl(),
                alerts.webhookSecret() != null ? alerts.webhookSecret() : currentAlerts.webhookSecret(), alerts.emails());
        return new AppDefinition(appKey != null ? appKey : current == null ? null : current.appKey(),
                connector != null ? connector : current == null ? null : current.connector(),
                name != null ? name : current == null ? null : current.name(),
                config != null ? config : current == null ? Map.of() : current.config(),
                credentials != null ? credentials : current == null ? Map.of() : current.credentials(),
                from, mergedSchedule, maxAttempts, mergedAlerts);
    }
}
