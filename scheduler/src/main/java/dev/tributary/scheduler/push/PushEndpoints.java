package dev.tributary.scheduler.push;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Destination;
import dev.tributary.connector.Identifiers;
import dev.tributary.scheduler.Refusal;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The two ends of a push, checked alike wherever one is named (a saved filter, a sync list item): the source
 * is an app of the tenant that syncs the collection; the target is an app whose connector is a
 * {@link Destination} writing the target collection. A check that fails throws a {@link Refusal}.
 */
@Singleton
public class PushEndpoints {

    private final Apps apps;

    PushEndpoints(Apps apps) {
        this.apps = apps;
    }

    /** {@code value}, which must be an app or collection key ({@link Identifiers}); absent is refused as required. */
    public static String key(String field, @Nullable String value) {
        if (value == null) {
            throw new Refusal.InvalidField(field, "is required");
        }
        if (!Identifiers.isValidKey(value)) {
            throw new Refusal.InvalidField(field, "must match " + Identifiers.KEY.pattern());
        }
        return value;
    }

    /** The source app ({@code source_app_key}), which exists and syncs {@code collection}. */
    public LoadedApp source(TenantId tenant, String appKey, String collection) {
        LoadedApp app = app(tenant, "source_app_key", appKey);
        List<String> collections;
        try {
            collections = app.connector().collections(app.context());
        } catch (ConnectorException.ConfigInvalid e) {
            throw new Refusal.AppConfigInvalid(appKey, e.getMessage());
        }
        if (!collections.contains(collection)) {
            throw new Refusal.InvalidField("collection", "app " + appKey + " has no collection " + collection
                    + "; it has " + String.join(", ", collections));
        }
        return app;
    }

    /**
     * The target collection of the target app ({@code target_app_key}): the one given, if the app writes it, or
     * the app's only writable one.
     *
     * @param given null when the request names none
     */
    public String targetCollection(TenantId tenant, String appKey, @Nullable String given) {
        LoadedApp app = app(tenant, "target_app_key", appKey);
        Destination destination = app.connector().destination().orElseThrow(() ->
                new Refusal.NotADestination(appKey, "its connector " + app.connector().metadata().provider()
                        + " does not write records"));
        List<String> writable;
        try {
            writable = destination.writableCollections(app.context());
        } catch (ConnectorException.ConfigInvalid e) {
            throw new Refusal.AppConfigInvalid(appKey, e.getMessage());
        }
        if (writable.isEmpty()) {
            throw new Refusal.NotADestination(appKey, "its configuration declares no collection to write");
        }
        if (given == null) {
            if (writable.size() > 1) {
                throw new Refusal.InvalidField("target_collection", "is required: app " + appKey
                        + " writes several collections (" + String.join(", ", writable) + ")");
            }
            return writable.get(0);
        }
        if (!writable.contains(given)) {
            throw new Refusal.InvalidField("target_collection", "app " + appKey + " cannot write " + given
                    + "; it writes " + String.join(", ", writable));
        }
        return given;
    }

    private LoadedApp app(TenantId tenant, String field, String appKey) {
        return apps.load(tenant, appKey).orElseThrow(() -> new Refusal.AppNotFound(field, appKey));
    }
}
