package dev.tributary.scheduler.push;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Destination;
import dev.tributary.connector.Identifiers;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.function.BiFunction;

/**
 * The two ends of a push, checked alike wherever one is named (a saved filter, a sync list item): the source
 * is an app of the tenant that syncs the collection; the target is an app whose connector is a
 * {@link Destination} writing the target collection. Each caller says a refusal in its own exception type,
 * through its {@link Refusals}, so its API keeps its own words for them.
 */
@Singleton
public class PushEndpoints {

    /**
     * How a caller's refusals are made, each from two strings: a member missing or wrong ({@code field, reason}),
     * no app of the key a request names ({@code field, appKey}), a target app that writes no records
     * ({@code appKey, why}), an app whose broken configuration hides its collections ({@code appKey, reason}).
     */
    public record Refusals(BiFunction<String, String, RuntimeException> invalid,
                           BiFunction<String, String, RuntimeException> appNotFound,
                           BiFunction<String, String, RuntimeException> notADestination,
                           BiFunction<String, String, RuntimeException> appConfigInvalid) {
    }

    private final Apps apps;

    PushEndpoints(Apps apps) {
        this.apps = apps;
    }

    /** {@code value}, which must be an app or collection key ({@link Identifiers}); absent is refused as required. */
    public static String key(String field, @Nullable String value, Refusals refusals) {
        if (value == null) {
            throw refusals.invalid().apply(field, "is required");
        }
        if (!Identifiers.isValidKey(value)) {
            throw refusals.invalid().apply(field, "must match " + Identifiers.KEY.pattern());
        }
        return value;
    }

    /** The source app ({@code source_app_key}), which exists and syncs {@code collection}. */
    public LoadedApp source(TenantId tenant, String appKey, String collection, Refusals refusals) {
        LoadedApp app = app(tenant, "source_app_key", appKey, refusals);
        List<String> collections;
        try {
            collections = app.connector().collections(app.context());
        } catch (ConnectorException.ConfigInvalid e) {
            throw refusals.appConfigInvalid().apply(appKey, e.getMessage());
        }
        if (!collections.contains(collection)) {
            throw refusals.invalid().apply("collection", "app " + appKey + " has no collection " + collection
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
    public String targetCollection(TenantId tenant, String appKey, @Nullable String given, Refusals refusals) {
        LoadedApp app = app(tenant, "target_app_key", appKey, refusals);
        Destination destination = app.connector().destination().orElseThrow(() ->
                refusals.notADestination().apply(appKey, "its connector " + app.connector().metadata().provider()
                        + " does not write records"));
        List<String> writable;
        try {
            writable = destination.writableCollections(app.context());
        } catch (ConnectorException.ConfigInvalid e) {
            throw refusals.appConfigInvalid().apply(appKey, e.getMessage());
        }
        if (writable.isEmpty()) {
            throw refusals.notADestination().apply(appKey, "its configuration declares no collection to write");
        }
        if (given == null) {
            if (writable.size() > 1) {
                throw refusals.invalid().apply("target_collection", "is required: app " + appKey
                        + " writes several collections (" + String.join(", ", writable) + ")");
            }
            return writable.get(0);
        }
        if (!writable.contains(given)) {
            throw refusals.invalid().apply("target_collection", "app " + appKey + " cannot write " + given
                    + "; it writes " + String.join(", ", writable));
        }
        return given;
    }

    private LoadedApp app(TenantId tenant, String field, String appKey, Refusals refusals) {
        return apps.load(tenant, appKey).orElseThrow(() -> refusals.appNotFound().apply(field, appKey));
    }
}
