package dev.tributary.connector;

import dev.tributary.connector.ConnectorException.ConfigInvalid;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks of an app's settings that connectors make alike, each stated once so a refusal reads
 * the same whichever connector makes it: only settings the connector knows (a misspelt one would
 * otherwise do nothing), strings that are strings, whole numbers in range, JSON pointers, collection
 * keys, http(s) URLs, and — for a connector whose collections are its own — a chosen subset of them. Each connector's
 * {@code <Provider>Settings} record is read through these.
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
            throws ConfigInvalid {
        if (settings == null) {
            return;
        }
        for (String key : settings.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigInvalid(prefix + key, provider + " has no setting " + prefix + key
                        + "; known: " + new TreeSet<>(known));
            }
        }
    }

    /**
     * The settings of a connector whose collections are its own and that receives webhooks (Stripe,
     * Intercom): {@code collections}, a non-empty subset of the connector's, and {@code log_webhook_payloads},
     * a boolean — and, when the connector is a destination, {@code field_mappings} (which
     * {@link Destination#fieldMappings} reads) — nothing else.
     *
     * @return the collections the app syncs, each once: those it chose, or all of the connector's
     */
    public static List<String> catalogCollections(AppContext app, ConnectorMetadata metadata) throws ConfigInvalid {
        requireKnown(app.config(), "", metadata.provider(), metadata.capabilities().destination()
                ? Set.of(COLLECTIONS, LOG_WEBHOOK_PAYLOADS, Destination.FIELD_MAPPINGS)
                : Set.of(COLLECTIONS, LOG_WEBHOOK_PAYLOADS));
        Object log = app.config().get(LOG_WEBHOOK_PAYLOADS);
        if (log != null && !(log instanceof Boolean)) {
            throw new ConfigInvalid(LOG_WEBHOOK_PAYLOADS, LOG_WEBHOOK_PAYLOADS + " must be true or false");
        }
        List<String> all = metadata.collections().stream().map(CollectionSpec::collectionKey).toList();
        Object chosen = app.config().get(COLLECTIONS);
        if (chosen == null) {
            return all;
        }
        if (!(chosen instanceof List<?> list) || list.isEmpty()) {
            throw new ConfigInvalid(COLLECTIONS, "collections must be a non-empty list of collection keys");
        }
        for (Object key : list) {
            if (!all.contains(key)) {
                throw new ConfigInvalid(COLLECTIONS, metadata.provider() + " has no collection " + key + "; known: "
                        + all);
            }
        }
        return list.stream().map(String::valueOf).distinct().toList();
    }

    /** Whether the app keeps its webhooks' payloads; the engine reads it for every connector alike. */
    public static boolean logWebhookPayloads(AppContext app) {
        return Boolean.TRUE.equals(app.config().get(LOG_WEBHOOK_PAYLOADS));
    }

    /**
     * The string at {@code key}, null when absent.
     *
     * @param field the setting's path, named in the refusal ({@code pagination.style} for key {@code style})
     */
    public static String string(Map<String, ?> settings, String key, String field) throws ConfigInvalid {
        Object value = settings.get(key);
        if (value != null && !(value instanceof String)) {
            throw new ConfigInvalid(field, field + " must be a string");
        }
        return (String) value;
    }

    /** The whole number at {@code key} from {@code min} to {@code max}, {@code fallback} when absent. */
    public static int wholeNumber(Map<String, ?> settings, String key, String field, int fallback, int min, int max)
            throws ConfigInvalid {
        Object value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        // Compared as doubles: longValue() of a number past the long range keeps only its low 64 bits.
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < min || n.doubleValue() > max) {
            throw new ConfigInvalid(field, field + " must be a whole number from " + min + " to " + max);
        }
        return n.intValue();
    }

    /**
     * Where a setting points into a JSON record: a JSON pointer ({@code /a/b}) or {@code ""} (the record
     * itself) as written, a dotted name ({@code a.b}) as the pointer it means.
     */
    public static String pointer(String value) {
        return value.isEmpty() || value.startsWith("/") ? value : "/" + value.replace(".", "/");
    }

    /**
     * Refuses what is not an RFC 6901 JSON pointer into a value: it starts with {@code /} (the value itself,
     * {@code ""}, is not a field), and each {@code ~} is {@code ~0} (a tilde) or {@code ~1} (a slash in a name).
     *
     * @param field the setting's path, named in the refusal
     */
    public static String requireJsonPointer(String value, String field) throws ConfigInvalid {
        if (value == null || !value.startsWith("/")) {
            throw new ConfigInvalid(field, field + " must be a JSON pointer (\"/…\")");
        }
        for (int i = value.indexOf('~'); i >= 0; i = value.indexOf('~', i + 1)) {
            if (i + 1 == value.length() || value.charAt(i + 1) != '0' && value.charAt(i + 1) != '1') {
                throw new ConfigInvalid(field, field + " is not a valid JSON pointer: \"~\" must be written ~0,"
                        + " and \"/\" inside a name ~1");
            }
        }
        return value;
    }

    /** Refuses a collection key that breaks {@link Identifiers}' rule, naming {@code field}. */
    public static String requireCollectionKey(String key, String field) throws ConfigInvalid {
        if (!Identifiers.isValidKey(key)) {
            throw new ConfigInvalid(field, "collection_key must match " + Identifiers.KEY.pattern());
        }
        return key;
    }

    /**
     * Whether {@code uri} is one a request can be sent to: scheme {@code http} or {@code https}, and a host
     * (a URI such as {@code https:/path} parses, but names no server). Each caller words its own refusal.
     */
    public static boolean isHttpUrl(URI uri) {
        return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
    }
}
