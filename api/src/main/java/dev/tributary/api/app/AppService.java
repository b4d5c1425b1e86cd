package dev.tributary.api.app;

import dev.tributary.api.list.ListResponse;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.request.IsoTimestamp;
import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.connector.Identifiers;
import dev.tributary.db.app.App;
import dev.tributary.db.app.AppRepository;
import dev.tributary.db.lock.SyncLocks;
import dev.tributary.scheduler.ConnectorSchemas;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.scheduler.run.AppDirectory;
import dev.tributary.scheduler.schedule.AppSchedules;
import dev.tributary.scheduler.schedule.CronSchedule;
import dev.tributary.tenancy.SecretBox;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates, reads, changes and deletes a tenant's apps. Every write is validated
 * whole — the connector checks its config and credentials, the schedule is parsed
 * in its zone — before anything is stored; credentials are sealed with the app's
 * identity as context.
 */
@Singleton
public class AppService implements AppDirectory {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final AppRepository apps;
    private final ConnectorRegistry connectors;
    private final TenantScope scope;
    private final SecretBox secrets;
    private final JsonMapper json;
    private final Clock clock;
    private final ConnectorSchemas connectorSchemas;
    private final AppSchedules schedules;
    private final SyncLocks syncLocks;

    public AppService(AppRepository apps, ConnectorRegistry connectors, TenantScope scope, SecretBox secrets,
                      JsonMapper json, Clock clock, ConnectorSchemas connectorSchemas, AppSchedules schedules,
                      SyncLocks syncLocks) {
        this.schedules = schedules;
        this.syncLocks = syncLocks;
        this.connectorSchemas = connectorSchemas;
        this.apps = apps;
        this.connectors = connectors;
        this.scope = scope;
        this.secrets = secrets;
        this.json = json;
        this.clock = clock;
    }

    public AppView create(TenantId tenant, AppRequest request) {
        if (request.appKey() == null) {
            throw ApiProblem.invalidField("app_key", "is required");
        }
        ApiProblem.requireValidKey("app_key", request.appKey());
        if (request.connector() == null) {
            throw ApiProblem.invalidField("connector", "is required");
        }
        Connector connector = connectors.byProvider(request.connector()).orElseThrow(() ->
                ApiProblem.invalidField("connector", "unknown connector " + request.connector() + "; see GET /api/connectors"));
        Instant now = clock.instant();
        App app = validated(tenant, request.appKey(), connector, request, null, now);
        AppView created = scope.write(tenant, () -> {
            // One insert decides, so of two requests creating one app at once the second is told it exists.
            if (!apps.insertIfAbsent(app)) {
                throw new ApiProblem(HttpStatus.CONFLICT, "app_exists", "App " + request.appKey() + " already exists");
            }
            schedule(tenant, app);
            return view(app);
        });
        // The first app of a connector brings in its views and indexes.
        connectorSchemas.applyFor(app.connector());
        return created;
    }

    public ListResponse<AppView> list(TenantId tenant, PageRequest page) {
        return scope.read(tenant, () -> new ListResponse<>(
                apps.list(tenant.value(), page.limit(), page.offset()).stream().map(this::view).toList(),
                page.limit(), page.offset(), apps.countByTenantId(tenant.value())));
    }

    public boolean exists(TenantId tenant, String appKey) {
        return scope.read(tenant, () -> apps.existsByTenantIdAndAppKey(tenant.value(), appKey));
    }

    public AppView get(TenantId tenant, String appKey) {
        return view(existing(tenant, appKey));
    }

    public AppView update(TenantId tenant, String appKey, AppRequest request) {
        ApiProblem.requireValidKey("app_key", appKey);
        // Read, merge and write under the row's lock, and the trigger in the same transaction: concurrent
        // PATCHes apply one after the other (none is lost), and one racing a DELETE finds no app rather than
        // scheduling one. The app's row is always locked before the scheduler's, as DELETE does.
        return scope.write(tenant, () -> {
            App current = apps.findLocked(tenant.value(), appKey)
                    .orElseThrow(() -> ApiProblem.notFound("No app " + appKey));
            if (request.appKey() != null && !request.appKey().equals(appKey)) {
                throw ApiProblem.invalidField("app_key", "cannot change; create a new app instead");
            }
            if (request.connector() != null && !request.connector().equals(current.connector())) {
                throw ApiProblem.invalidField("connector", "cannot change; create a new app instead");
            }
            Connector connector = connectors.byProvider(current.connector()).orElseThrow(() ->
                    new IllegalStateException("app " + appKey + " uses connector " + current.connector()
                            + ", which this node does not have"));
            App updated = validated(tenant, appKey, connector, request, current, clock.instant());
            apps.update(updated);
            schedule(tenant, updated);
            return view(apps.findByTenantIdAndAppKey(tenant.value(), appKey).orElseThrow());
        });
    }

    /**
     * Deletes the app unless a sync of it is running (409: the run holds its targets' locks, and the app's
     * rows are what it writes); the app's row, then its targets' locks, then the scheduler's, in that order.
     */
    public void delete(TenantId tenant, String appKey) {
        ApiProblem.requireValidKey("app_key", appKey);
        scope.writeJdbc(tenant, connection -> {
            if (apps.findLocked(tenant.value(), appKey).isEmpty()) {
                throw ApiProblem.notFound("No app " + appKey);
            }
            if (!syncLocks.takeAllOfApp(connection, tenant.value(), appKey)) {
                throw new ApiProblem(HttpStatus.CONFLICT, "app_sync_running", "A sync of app " + appKey
                        + " is running; cancel it (POST /api/sync/status/{sync_id}/cancel) or let it end, then delete");
            }
            apps.delete(tenant.value(), appKey);
            schedules.remove(tenant, appKey);
            return null;
        });
    }

    /** The app's cron trigger, in the transaction that writes the app. */
    private void schedule(TenantId tenant, App app) {
        schedules.apply(tenant, app.appKey(), app.scheduleCron(), app.scheduleTimezone(), app.scheduleMode(),
                app.scheduleEnabled());
    }

    /** The app's connector with its config and opened credentials, for a worker or the command line. */
    @Override
    public Optional<AppConnection> find(TenantId tenant, String appKey) {
        if (!Identifiers.isValidKey(appKey)) {
            return Optional.empty();
        }
        return scope.read(tenant, () -> apps.findByTenantIdAndAppKey(tenant.value(), appKey)).map(app -> {
            Connector connector = connectors.byProvider(app.connector()).orElseThrow(() ->
                    new IllegalStateException("app " + appKey + " uses connector " + app.connector()
                            + ", which this node does not have"));
            return new AppConnection(connector, new AppContext(tenant.value(), appKey,
                    read(app.config(), Argument.mapOf(String.class, Object.class)), credentials(app), app.syncFrom()),
                    app.retryMaxAttempts(), alertTarget(app));
        });
    }

    /** The app's decrypted credentials, for the engine and for re-validation. */
    private Map<String, String> credentials(App app) {
        if (app.credentialsEnc() == null) {
            return Map.of();
        }
        return read(secrets.open(app.credentialsEnc(), sealingContext(app.tenantId(), app.appKey())),
                Argument.mapOf(String.class, String.class));
    }

    private App existing(TenantId tenant, String appKey) {
        ApiProblem.requireValidKey("app_key", appKey);
        return scope.read(tenant, () -> apps.findByTenantIdAndAppKey(tenant.value(), appKey))
                .orElseThrow(() -> ApiProblem.notFound("No app " + appKey));
    }

    /** The app as it would be after this request, checked whole; {@code current} is null on create. */
    private App validated(TenantId tenant, String appKey, Connector connector, AppRequest request, App current,
                          Instant now) {
        String name = request.name() != null ? request.name().strip() : current == null ? null : current.name();
        if (name == null || name.isEmpty()) {
            throw ApiProblem.invalidField("name", "is required");
        }
        if (name.length() > 200) {
            throw ApiProblem.invalidField("name", "must be at most 200 characters");
        }
        Map<String, Object> config = request.config() != null ? request.config()
                : current == null ? Map.of() : read(current.config(), Argument.mapOf(String.class, Object.class));
        Map<String, String> credentials = request.credentials() != null ? request.credentials()
                : current == null ? Map.of() : credentials(current);
        Instant syncFrom = request.syncFrom() != null ? IsoTimestamp.parse("sync_from", request.syncFrom())
                : current == null ? null : current.syncFrom();
        try {
            connector.validate(new AppContext(tenant.value(), appKey, config, credentials, syncFrom));
        } catch (ConnectorException.ConfigInvalid e) {
            String field = e.field().startsWith("credentials") ? e.field() : "config." + e.field();
            throw ApiProblem.invalidField(field, e.getMessage());
        }

        var schedule = request.schedule();
        String cron = schedule != null && schedule.cron() != null ? schedule.cron()
                : current == null ? null : current.scheduleCron();
        String timezone = schedule != null && schedule.timezone() != null ? schedule.timezone()
                : current == null ? null : current.scheduleTimezone();
        String mode = schedule != null && schedule.mode() != null ? schedule.mode()
                : current == null ? "incremental" : current.scheduleMode();
        boolean enabled = schedule != null && schedule.enabled() != null ? schedule.enabled()
                : current != null ? current.scheduleEnabled() : cron != null;
        if (!mode.equals("full") && !mode.equals("incremental")) {
            throw ApiProblem.invalidField("schedule.mode", "must be full or incremental");
        }
        if (cron != null || timezone != null || enabled) {
            try {
                CronSchedule.parse(cron, timezone == null ? "UTC" : timezone);
            } catch (CronSchedule.InvalidSchedule e) {
                throw ApiProblem.invalidField("schedule." + e.field(), e.getMessage());
            }
        }

        int maxAttempts = request.retryPolicy() != null && request.retryPolicy().maxAttempts() != null
                ? request.retryPolicy().maxAttempts()
                : current == null ? DEFAULT_MAX_ATTEMPTS : current.retryMaxAttempts();
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw ApiProblem.invalidField("retry_policy.max_attempts", "must be from 1 to 20");
        }
        AppRequest.Alerts stored = current == null ? null : read(current.alertConfig(), Argument.of(AppRequest.Alerts.class));
        AppRequest.Alerts alerts = request.alerts() != null ? request.alerts()
                : stored != null ? stored : new AppRequest.Alerts(null, List.of(), null);
        checkAlerts(alerts);
        if (request.alerts() != null) {
            // A new secret is sealed; without one, a webhook keeps the secret it had.
            String sealedSecret = alerts.webhookSecret() != null
                    ? Base64.getEncoder().encodeToString(secrets.seal(alerts.webhookSecret(),
                    alertSealingContext(tenant.value(), appKey)))
                    : stored != null ? stored.webhookSecret() : null;
            if (alerts.webhookUrl() != null && sealedSecret == null) {
                throw ApiProblem.invalidField("alerts.webhook_secret", "is required with webhook_url:"
                        + " alerts are signed with it (at least 16 characters)");
            }
            alerts = new AppRequest.Alerts(alerts.webhookUrl(), alerts.emails(), sealedSecret);
        }

        byte[] sealed = credentials.isEmpty() ? null
                : secrets.seal(write(credentials), sealingContext(tenant.value(), appKey));
        return new App(tenant.value(), appKey, connector.metadata().provider(), name, write(config), sealed, syncFrom,
                cron, cron == null ? null : timezone == null ? "UTC" : timezone, mode, enabled, maxAttempts,
                write(alerts), current == null ? now : current.createdAt(), now);
    }

    private static void checkAlerts(AppRequest.Alerts alerts) {
        if (alerts.webhookSecret() != null && (alerts.webhookSecret().length() < 16
                || alerts.webhookSecret().length() > 200)) {
            throw ApiProblem.invalidField("alerts.webhook_secret", "must be 16 to 200 characters");
        }
        if (alerts.webhookUrl() != null) {
            try {
                URI uri = URI.create(alerts.webhookUrl());
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw ApiProblem.invalidField("alerts.webhook_url", "must be an http(s) URL");
            }
        }
        if (alerts.emails() != null) {
            for (String email : alerts.emails()) {
                if (email == null || !EMAIL.matcher(email).matches()) {
                    throw ApiProblem.invalidField("alerts.emails", "not an email address: " + email);
                }
            }
        }
    }

    private AppView view(App app) {
        AppRequest.Alerts alerts = read(app.alertConfig(), Argument.of(AppRequest.Alerts.class));
        return new AppView(app.appKey(), app.connector(), app.name(),
                read(app.config(), Argument.mapOf(String.class, Object.class)), app.credentialsEnc() != null,
                app.syncFrom(), new AppView.ScheduleView(app.scheduleCron(), app.scheduleTimezone(),
                app.scheduleMode(), app.scheduleEnabled()),
                new AppView.RetryPolicyView(app.retryMaxAttempts()),
                alerts == null ? new AppRequest.Alerts(null, List.of(), null)
                        : new AppRequest.Alerts(alerts.webhookUrl(), alerts.emails() == null ? List.of() : alerts.emails(),
                        null), // apps stored before empty lists were kept have no emails member
                app.createdAt(), app.updatedAt());
    }

    private static String alertSealingContext(String tenant, String appKey) {
        return "apps/" + tenant + "/" + appKey + "/alerts";
    }

    /** Where the app's alerts go, with its webhook secret opened. */
    private AlertTarget alertTarget(App app) {
        AppRequest.Alerts alerts = read(app.alertConfig(), Argument.of(AppRequest.Alerts.class));
        if (alerts == null) {
            return AlertTarget.NONE;
        }
        String secret = alerts.webhookSecret() == null ? null : secrets.open(
                Base64.getDecoder().decode(alerts.webhookSecret()), alertSealingContext(app.tenantId(), app.appKey()));
        return new AlertTarget(alerts.webhookUrl(), secret, alerts.emails());
    }

    private static String sealingContext(String tenant, String appKey) {
        return "apps/" + tenant + "/" + appKey;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String text, Argument<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
