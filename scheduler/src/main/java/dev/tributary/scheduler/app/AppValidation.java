package dev.tributary.scheduler.app;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.AppSettings;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.connector.Identifiers;
import dev.tributary.db.app.AlertSettings;
import dev.tributary.db.app.App;
import dev.tributary.db.run.RunMode;
import dev.tributary.scheduler.Refusal;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.scheduler.schedule.CronSchedule;
import dev.tributary.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * An app's rules: checks a definition whole — its key and connector, its name, the connector's
 * own check of config and credentials, the schedule in its zone, the retry policy, the alert
 * channels — and makes the row to store, secrets sealed. The first rule broken is thrown as
 * {@link Refusal.InvalidField} naming its field, in that order.
 */
@Singleton
class AppValidation {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final int LONGEST_NAME = 200;
    private static final int MOST_ATTEMPTS = 20;

    private final ConnectorRegistry connectors;
    private final AppSecrets secrets;

    AppValidation(ConnectorRegistry connectors, AppSecrets secrets) {
        this.connectors = connectors;
        this.secrets = secrets;
    }

    /** The row for a new app. */
    App created(TenantId tenant, AppDefinition app, Instant now) {
        if (app.appKey() == null) {
            throw new Refusal.InvalidField("app_key", "is required");
        }
        if (!Identifiers.isValidKey(app.appKey())) {
            throw new Refusal.InvalidField("app_key", "must match " + Identifiers.KEY.pattern());
        }
        if (app.connector() == null) {
            throw new Refusal.InvalidField("connector", "is required");
        }
        Connector connector = connectors.byProvider(app.connector())
                .orElseThrow(() -> new AppException.UnknownConnector(app.connector()));
        return validated(tenant, app, connector, now, now);
    }

    /** The row for a stored app changed into {@code app}; an app's key and connector never change. */
    App changed(TenantId tenant, App current, Connector connector, AppDefinition app, Instant now) {
        if (!current.appKey().equals(app.appKey())) {
            throw new Refusal.InvalidField("app_key", "cannot change; create a new app instead");
        }
        if (!current.connector().equals(app.connector())) {
            throw new Refusal.InvalidField("connector", "cannot change; create a new app instead");
        }
        return validated(tenant, app, connector, current.createdAt(), now);
    }

    private App validated(TenantId tenant, AppDefinition app, Connector connector, Instant createdAt, Instant now) {
        String name = app.name() == null ? "" : app.name().strip();
        if (name.isEmpty()) {
            throw new Refusal.InvalidField("name", "is required");
        }
        if (name.length() > LONGEST_NAME) {
            throw new Refusal.InvalidField("name", "must be at most " + LONGEST_NAME + " characters");
        }
        try {
            connector.validate(new AppContext(tenant.value(), app.appKey(), app.config(), app.credentials(),
                    app.syncFrom()));
        } catch (ConnectorException.ConfigInvalid e) {
            throw new Refusal.InvalidField(e.field().startsWith("credentials") ? e.field() : "config." + e.field(),
                    e.getMessage());
        }
        AppDefinition.Schedule schedule = app.schedule();
        if (RunMode.pull(schedule.mode()).isEmpty()) {
            throw new Refusal.InvalidField("schedule.mode", "must be full or incremental");
        }
        String timezone = schedule.timezone() == null ? "UTC" : schedule.timezone();
        if (schedule.cron() != null || schedule.timezone() != null || schedule.enabled()) {
            try {
                CronSchedule.parse(schedule.cron(), timezone);
            } catch (CronSchedule.InvalidSchedule e) {
                throw new Refusal.InvalidField("schedule." + e.field(), e.getMessage());
            }
        }
        if (app.maxAttempts() < 1 || app.maxAttempts() > MOST_ATTEMPTS) {
            throw new Refusal.InvalidField("retry_policy.max_attempts", "must be from 1 to " + MOST_ATTEMPTS);
        }
        checkAlerts(app.alerts());
        return new App(tenant.value(), app.appKey(), connector.metadata().provider(), name, app.config(),
                secrets.sealCredentials(tenant.value(), app.appKey(), app.credentials()), app.syncFrom(),
                schedule.cron(), schedule.cron() == null ? null : timezone, schedule.mode(), schedule.enabled(),
                app.maxAttempts(), new AlertSettings(app.alerts().webhookUrl(), app.alerts().emails(),
                secrets.sealWebhookSecret(tenant.value(), app.appKey(), app.alerts().webhookSecret())),
                createdAt, now);
    }

    private static void checkAlerts(AlertTarget alerts) {
        String secret = alerts.webhookSecret();
        if (secret != null && (secret.length() < 16 || secret.length() > 200)) {
            throw new Refusal.InvalidField("alerts.webhook_secret", "must be 16 to 200 characters");
        }
        if (alerts.webhookUrl() != null && !isHttpUrl(alerts.webhookUrl())) {
            throw new Refusal.InvalidField("alerts.webhook_url", "must be an http(s) URL");
        }
        for (String email : alerts.emails()) {
            if (email == null || !EMAIL.matcher(email).matches()) {
                throw new Refusal.InvalidField("alerts.emails", "not an email address: " + email);
            }
        }
        if (alerts.webhookUrl() != null && secret == null) {
            throw new Refusal.InvalidField("alerts.webhook_secret", "is required with webhook_url:"
                    + " alerts are signed with it (at least 16 characters)");
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            return AppSettings.isHttpUrl(URI.create(url));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
