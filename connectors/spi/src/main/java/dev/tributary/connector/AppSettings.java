package dev.tributary.connector;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks of an app's settings that several connectors make alike: only settings the
 * connector knows (a misspelt one would otherwise do nothing), booleans that are
 * booleans, and a chosen subset of the connector's collections.
 */
public final class AppSettings {

    /** Keeps each webhook's payload in {@code webhook_events}; for connectors that receive webhooks. */
    public static final String LOG_WEBHOOK_PAYLOADS = "log_webhook_payloads";

    /** Chooses some of a connector's collections; all of them when absent. */
    public static final String COLLECTIONS = "collections";

    private AppSettings() {
    }

    /**
     * Refuses a setting not in {@code known}, naming it ({@code prefix} + key: the path of a nested
     * object's settings, {@code ""} at the top).
     */
    public static void requireKnown(Map<String, ?> settings, String prefix, String provider, Set<String> known)
            throws ConnectorException.ConfigInvalid {
        if (settings == null) {
            return;
        }
        for (String key : settings.keySet()) {
            if (!known.contains(key)) {
                throw new ConnectorException.ConfigInvalid(prefix + key, provider + " has no setting " + prefix + key
                        + "; known: " + new TreeSet<>(known));
            }
        }
    }

    /** Refuses a setting that is present and not a JSON boolean. */
    public static void requireBoolean(Map<String, ?> settings, String key) throws ConnectorException.ConfigInvalid {
        Object value = settings.get(key);
        if (value != null && !(value instanceof Boolean)) {
            throw new ConnectorException.ConfigInvalid(key, key + " must be true or false");
        }
    }

    public static boolean logWebhookPayloads(AppContext app) {
        return Boolean.TRUE.equals(app.config().get(LOG_WEBHOOK_PAYLOADS));
    }

    /** The collections the app's {@code collections} setting chooses (each once), or all of the connector's. */
    public static List<String> chosenCollections(AppContext app, ConnectorMetadata metadata)
            throws ConnectorException.ConfigInvalid {
        List<String> all = metadata.collections().stream().map(CollectionSpec::collectionKey).toList();
        Object chosen = app.config().get(COLLECTIONS);
        if (chosen == null) {
            return all;
        }
        if (!(chosen instanceof List<?> list) || list.isEmpty()) {
            throw new ConnectorException.ConfigInvalid(COLLECTIONS,
                    "collections must be a non-empty list of collection keys");
        }
        for (Object key : list) {
            if (!all.contains(key)) {
                throw new ConnectorException.ConfigInvalid(COLLECTIONS, metadata.provider() + " has no collection "
                        + key + "; known: " + all);
            }
        }
        return list.stream().map(String::valueOf).distinct().toList();
    }
}
