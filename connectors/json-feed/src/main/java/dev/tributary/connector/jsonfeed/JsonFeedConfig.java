package dev.tributary.connector.jsonfeed;

import dev.tributary.connector.AppSettings;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.Identifiers;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A json-feed app's configuration. Exactly one of {@code url} and {@code file};
 * {@code format} {@code json} (an array at {@code records_path}, {@code ""} = the root)
 * or {@code jsonl}; gzip is recognised by its magic bytes.
 *
 * @param createdAtPointer where a record says when it was created, or null: records created before the app's
 *                         {@code sync_from} are skipped
 * @param ignoreFields     top-level fields left out of every record — stored payload and
 *                         change detection alike — e.g. a feed-wide {@code _generated_at}
 */
public record JsonFeedConfig(URI url, Path file, boolean jsonLines, String recordsPointer, List<String> idPointers,
                             String updatedAtPointer, String createdAtPointer, List<String> ignoreFields,
                             String collectionKey, int batchSize, String archivedPointer, String archivedValue) {

    private static final String PROVIDER = "json-feed";

    public static JsonFeedConfig parse(Map<String, Object> config) throws ConfigInvalid {
        AppSettings.requireKnown(config, "", PROVIDER, Set.of("url", "file", "format", "records_path", "id_fields",
                "updated_at_field", "created_at_field", "ignore_fields", "archived_when", "collection_key",
                "batch_size"));
        String url = string(config, "url");
        String file = string(config, "file");
        if ((url == null) == (file == null)) {
            throw new ConfigInvalid("url", "exactly one of url and file is required");
        }
        URI uri = null;
        if (url != null) {
            try {
                uri = new URI(url);
            } catch (java.net.URISyntaxException e) {
                throw new ConfigInvalid("url", "url is not a URL");
            }
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigInvalid("url", "url must be http(s)://host/…");
            }
        }
        String format = string(config, "format");
        if (format != null && !format.equals("json") && !format.equals("jsonl")) {
            throw new ConfigInvalid("format", "format must be json or jsonl");
        }
        List<String> ids = strings(config, "id_fields", List.of("id"));
        if (ids.isEmpty()) {
            throw new ConfigInvalid("id_fields", "id_fields must name at least one field");
        }
        String collectionKey = string(config, "collection_key");
        collectionKey = collectionKey == null ? "records" : collectionKey;
        if (!Identifiers.isValidKey(collectionKey)) {
            throw new ConfigInvalid("collection_key", "collection_key must match " + Identifiers.KEY.pattern());
        }
        Object batch = config.getOrDefault("batch_size", 1000);
        if (!(batch instanceof Number n) || n.intValue() < 1 || n.intValue() > 50_000 || n.doubleValue() != n.intValue()) {
            throw new ConfigInvalid("batch_size", "batch_size must be a whole number from 1 to 50000");
        }
        String archivedPointer = null;
        String archivedValue = null;
        if (config.get("archived_when") instanceof Map<?, ?> archived) {
            @SuppressWarnings("unchecked") Map<String, ?> settings = (Map<String, ?>) archived;
            AppSettings.requireKnown(settings, "archived_when.", PROVIDER, Set.of("field", "equals"));
            archivedPointer = pointer(String.valueOf(archived.get("field")));
            archivedValue = archived.get("equals") == null ? null : String.valueOf(archived.get("equals"));
            if (archived.get("field") == null || archivedValue == null) {
                throw new ConfigInvalid("archived_when", "archived_when needs field and equals");
            }
        } else if (config.containsKey("archived_when")) {
            throw new ConfigInvalid("archived_when", "archived_when must be an object");
        }
        String records = string(config, "records_path");
        String updatedAt = string(config, "updated_at_field");
        String createdAt = string(config, "created_at_field");
        if (createdAt != null && createdAt.isBlank()) {
            throw new ConfigInvalid("created_at_field", "created_at_field must name a field");
        }
        return new JsonFeedConfig(uri, file == null ? null : Path.of(file), "jsonl".equals(format),
                records == null ? "" : pointer(records), ids.stream().map(JsonFeedConfig::pointer).toList(),
                updatedAt == null ? null : pointer(updatedAt), createdAt == null ? null : pointer(createdAt),
                strings(config, "ignore_fields", List.of()), collectionKey, n(batch), archivedPointer, archivedValue);
    }

    private static int n(Object batch) {
        return ((Number) batch).intValue();
    }

    private static String pointer(String value) {
        return value.isEmpty() || value.startsWith("/") ? value : "/" + value.replace(".", "/");
    }

    private static String string(Map<String, Object> config, String field) throws ConfigInvalid {
        Object value = config.get(field);
        if (value != null && !(value instanceof String)) {
            throw new ConfigInvalid(field, field + " must be a string");
        }
        return (String) value;
    }

    private static List<String> strings(Map<String, Object> config, String field, List<String> fallback)
            throws ConfigInvalid {
        Object value = config.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof List<?> list)) {
            throw new ConfigInvalid(field, field + " must be an array of field names");
        }
        List<String> names = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s) || s.isBlank()) {
                throw new ConfigInvalid(field, field + " must be an array of field names");
            }
            names.add(s);
        }
        return names;
    }
}
