package dev.tributary.scheduler.app;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorRegistry;
import dev.tributary.connector.Identifiers;
import dev.tributary.db.app.App;
import dev.tributary.db.app.AppRepository;
import dev.tributary.db.lock.SyncLocks;
import dev.tributary.scheduler.ConnectorSchemas;
import dev.tributary.scheduler.schedule.AppSchedules;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A tenant's apps, for everyone who needs one: the API and config-as-code create, change and
 * delete them; workers, schedules, webhooks and the {@code sync} command {@link #load} them.
 * Every write is checked whole ({@link AppValidation}) before anything is stored, and the app's
 * schedule trigger is written in the same transaction as its row.
 */
@Singleton
public class Apps {

    /** A page of a tenant's apps, newest first, and how many it has in all. */
    public record Listing(List<App> apps, long total) {
    }

    private final AppRepository apps;
    private final AppValidation validation;
    private final AppSecrets secrets;
    private final ConnectorRegistry connectors;
    private final TenantScope scope;
    private final ConnectorSchemas connectorSchemas;
    private final AppSchedules schedules;
    private final SyncLocks syncLocks;
    private final Clock clock;

    Apps(AppRepository apps, AppValidation validation, AppSecrets secrets, ConnectorRegistry connectors,
         TenantScope scope, ConnectorSchemas connectorSchemas, AppSchedules schedules, SyncLocks syncLocks,
         Clock clock) {
        this.apps = apps;
        this.validation = validation;
        this.secrets = secrets;
        this.connectors = connectors;
        this.scope = scope;
        this.connectorSchemas = connectorSchemas;
        this.schedules = schedules;
        this.syncLocks = syncLocks;
        this.clock = clock;
    }

    /** Stores a new app and schedules it; the first app of a connector brings in its views and indexes. */
    public App create(TenantId tenant, AppDefinition definition) {
        App app = validation.created(tenant, definition, clock.instant());
        scope.write(tenant, () -> {
            // One insert decides, so of two requests creating one app at once the second is told it exists.
            if (!apps.insertIfAbsent(app)) {
                throw new AppException.AlreadyExists(app.appKey());
            }
            schedule(tenant, app);
            return null;
        });
        connectorSchemas.applyFor(app.connector());
        return app;
    }

    /**
     * Changes a stored app into what {@code change} makes of it (given the app as it is, secrets
     * opened) and reschedules it.
     */
    public App update(TenantId tenant, String appKey, UnaryOperator<AppDefinition> change) {
        // Read, change and write under the row's lock, and the trigger in the same transaction: concurrent
        // changes apply one after the other (none is lost), and one racing a delete finds no app rather than
        // scheduling one. The app's row is always locked before the scheduler's, as delete does.
        requireKey(appKey);
        return scope.write(tenant, () -> {
            App current = apps.findLocked(tenant.value(), appKey).orElseThrow(() -> new AppException.NotFound(appKey));
            App updated = validation.changed(tenant, current, connector(current),
                    change.apply(definition(current)), clock.instant());
            apps.update(updated);
            schedule(tenant, updated);
            return apps.findByTenantIdAndAppKey(tenant.value(), appKey).orElseThrow();
        });
    }

    /**
     * Deletes the app unless a sync of it is running (the run holds its targets' locks, and the app's rows
     * are what it writes); the app's row, then its targets' locks, then the scheduler's, in that order.
     */
    public void delete(TenantId tenant, String appKey) {
        requireKey(appKey);
        scope.writeJdbc(tenant, connection -> {
            if (apps.findLocked(tenant.value(), appKey).isEmpty()) {
                throw new AppException.NotFound(appKey);
            }
            if (!syncLocks.takeAllOfApp(connection, tenant.value(), appKey)) {
                throw new AppException.SyncRunning(appKey);
            }
            apps.delete(tenant.value(), appKey);
            schedules.remove(tenant, appKey);
            return null;
        });
    }

    /** The stored app. */
    public App get(TenantId tenant, String appKey) {
        requireKey(appKey);
        return scope.read(tenant, () -> apps.findByTenantIdAndAppKey(tenant.value(), appKey))
                .orElseThrow(() -> new AppException.NotFound(appKey));
    }

    public boolean exists(TenantId tenant, String appKey) {
        return Identifiers.isValidKey(appKey)
                && scope.read(tenant, () -> apps.existsByTenantIdAndAppKey(tenant.value(), appKey));
    }

    public Listing list(TenantId tenant, int limit, long offset) {
        return scope.read(tenant, () -> new Listing(apps.list(tenant.value(), limit, offset),
                apps.countByTenantId(tenant.value())));
    }

    /** The app ready to sync, or empty when the tenant has no such app (any more). */
    public Optional<LoadedApp> load(TenantId tenant, String appKey) {
        if (!Identifiers.isValidKey(appKey)) {
            return Optional.empty();
        }
        return scope.read(tenant, () -> apps.findByTenantIdAndAppKey(tenant.value(), appKey)).map(app ->
                new LoadedApp(connector(app), new AppContext(tenant.value(), appKey, app.config(),
                        secrets.credentials(app), app.syncFrom()), app.retryMaxAttempts(), secrets.alerts(app)));
    }

    /** A key that is no identifier names no app, and is not sent to the database (which refuses a NUL in it). */
    private static void requireKey(String appKey) {
        if (!Identifiers.isValidKey(appKey)) {
            throw new AppException.NotFound(appKey);
        }
    }

    private AppDefinition definition(App app) {
        return new AppDefinition(app.appKey(), app.connector(), app.name(), app.config(), secrets.credentials(app),
                app.syncFrom(), new AppDefinition.Schedule(app.scheduleCron(), app.scheduleTimezone(),
                app.scheduleMode(), app.scheduleEnabled()), app.retryMaxAttempts(), secrets.alerts(app));
    }

    private Connector connector(App app) {
        return connectors.byProvider(app.connector()).orElseThrow(() -> new IllegalStateException("app "
                + app.appKey() + " uses connector " + app.connector() + ", which this node does not have"));
    }

    /** The app's cron trigger, in the transaction that writes the app. */
    private void schedule(TenantId tenant, App app) {
        schedules.apply(tenant, app.appKey(), app.scheduleCron(), app.scheduleTimezone(), app.scheduleMode(),
                app.scheduleEnabled());
    }
}
