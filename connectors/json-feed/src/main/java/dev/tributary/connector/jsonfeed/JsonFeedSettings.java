package dev.tributary.connector.jsonfeed;

import dev.tributary.connector.AppSettings;
import dev.tributary.connector.ConnectorException.ConfigInvalid;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A json-feed app's settings, read from the app's {@code config} object. Exactly one of {@code url} and {@code file};
 * {@code format} {@code json} (an array at {@code records_path}, {@code ""} = the root)
 * or {@code jsonl}; gzip is recognised by its magic bytes.
 *
 * @param createdAtPointer where a record says when it was created, or null: records created before the app's
 *                         {@code sync_from} are skipped
 * @param ignoreFields     top-level fields left out of every record — stored payload and
 *                         change detection alike — e.g. a feed-wide {@code _generated_at}
 */
record JsonFeedSettings(URI url, Path file, boolean jsonLines, String recordsPointer, List<String> idPointers,
                        String updatedAtPointer, String createdAtPointer, List<String> ignoreFields,
                        String collectionKey, int batchSize, String archivedPointer, String archivedValue) {

    private static final String PROVIDER = JsonFeedConnector.METADATA.provider();

    static JsonFeedSettings of(Map<String, Object> config) throws ConfigInvalid {
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
            if (!AppSettings.isHttpUrl(uri)) {
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
        collectionKey = AppSettings.requireCollectionKey(collectionKey == null ? "records" : collectionKey,
                "collection_key");
        int batchSize = AppSettings.wholeNumber(config, "batch_size", "batch_size", 1000, 1, 50_000);
        String archivedPointer = null;
        String archivedValue = null;
        if (config.get("archived_when") instanceof Map<?, ?> archived) {
            @SuppressWarnings("unchecked") Map<String, ?> settings = (Map<String, ?>) archived;
            AppSettings.requireKnown(settings, "archived_when.", PROVIDER, Set.of("field", "equals"));
            archivedPointer = AppSettings.pointer(String.valueOf(archived.get("field")));
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
        return new JsonFeedSettings(uri, file == null ? null : Path.of(file), "jsonl".equals(format),
                records == null ? "" : AppSettings.pointer(records), ids.stream().map(AppSettings::pointer).toList(),
                updatedAt == null ? null : AppSettings.pointer(updatedAt),
                createdAt == null ? null : AppSettings.pointer(createdAt),
                strings(config, "ignore_fields", List.of()), collectionKey, batchSize, archivedPointer, archivedValue);
    }

    /**
     * Where the feed comes from, for messages: the file, or the URL's scheme, host, port and path (its
     * query and user info may carry a secret).
     */
    String source() {
        if (file != null) {
            return file.toString();
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    private static String string(Map<String, Object> config, String field) throws ConfigInvalid {
        return AppSettings.string(config, field, field);
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
