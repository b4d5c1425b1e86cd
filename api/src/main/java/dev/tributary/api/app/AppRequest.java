package dev.tributary.api.app;

import dev.tributary.api.request.IsoTimestamp;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.scheduler.app.AppDefinition;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
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
