package dev.tributary.connector.httpjson;

import dev.tributary.connector.AppSettings;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.Destination;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An http-json app's settings, read from the app's {@code config} object: everything the
 * connector knows about the API. Every refusal names the field at fault (e.g. {@code pagination.style}).
 *
 * @param baseUrl          the API's root, {@code http(s)://host[:port][/path]}
 * @param auth             how requests authenticate; secrets come from the app's credentials
 * @param pagination       how list endpoints page
 * @param recordsPointer   JSON pointer of the records array in a page ({@code ""} = the root is the array)
 * @param idField          pointer of a record's id, e.g. {@code /id}
 * @param updatedAtField   pointer of a record's last-change time (ISO-8601 or epoch seconds), or null
 * @param createdAtField   pointer of a record's creation time (ISO-8601 or epoch seconds), or null
 * @param incrementalParam query parameter carrying "modified since" for incremental fetches, or null
 * @param createdAfter     the query parameter that carries the app's {@code sync_from}, or null
 * @param archived         when a record counts as archived, or null
 * @param collections      the collections: key, path under the base URL, and how records are written, if they are
 */
record HttpJsonSettings(URI baseUrl, Auth auth, Pagination pagination, String recordsPointer, String idField,
                             String updatedAtField, String createdAtField, String incrementalParam,
                             CreatedAfter createdAfter, ArchivedWhen archived, List<Collection> collections,
                             Duration connectTimeout, Duration readTimeout) {

    public enum AuthType { NONE, BEARER, BASIC, API_KEY_HEADER, API_KEY_QUERY }

    /** {@code name} is the header or query parameter of an API key. */
    public record Auth(AuthType type, String name) {
    }

    public enum PaginationStyle { OFFSET, PAGE_NUMBER, CURSOR, LINK_HEADER, NEXT_URL }

    /**
     * @param sizeParam   query parameter of the page size ({@code limit}, {@code per_page}, …)
     * @param offsetParam query parameter of the offset, page number or cursor
     * @param nextPointer where a page says what comes next: the cursor (CURSOR) or next URL (NEXT_URL)
     */
    public record Pagination(PaginationStyle style, int pageSize, String sizeParam, String offsetParam,
                             String nextPointer) {
    }

    public record ArchivedWhen(String field, String equals) {
    }

    public enum TimeFormat { ISO8601, UNIX_SECONDS }

    /** {@code param} is sent {@code sync_from} on every list request, written as {@code format} says. */
    public record CreatedAfter(String param, TimeFormat format) {

        /**
         * {@code sync_from} as the API is sent it: ISO-8601 as it is, or its Unix second rounded down (an API
         * that compares whole seconds then sends the rest of that second too, and the connector drops it).
         */
        public String value(java.time.Instant syncFrom) {
            return format == TimeFormat.ISO8601 ? syncFrom.toString() : Long.toString(syncFrom.getEpochSecond());
        }
    }

    /** @param writes how the app writes this collection's records, or null when it does not */
    public record Collection(String collectionKey, String path, Writes writes) {
    }

    /** The HTTP methods a write may use. */
    public enum WriteMethod { POST, PUT, PATCH }

    /** One write request: its method and its path under the base URL. */
    public record WriteRequest(WriteMethod method, String path) {
    }

    /** The placeholder of an update path, replaced by the record's URL-encoded target id. */
    static final String TARGET_ID = "{target_id}";

    /**
     * A collection's {@code destination}: the create request, the update request (its path with
     * {@link #TARGET_ID}), and where the create response holds the new record's id.
     */
    public record Writes(WriteRequest create, WriteRequest update, String idPointer) {
    }

    private static final String PROVIDER = HttpJsonConnector.METADATA.provider();

    static HttpJsonSettings of(Map<String, Object> config) throws ConfigInvalid {
        AppSettings.requireKnown(config, "", PROVIDER, Set.of("base_url", "auth", "pagination", "records_path",
                "id_field", "updated_at_field", "created_at_field", "incremental_param", "created_after_param",
                "created_after_format", "archived_when", "collections", "connect_timeout_ms", "read_timeout_ms",
                Destination.FIELD_MAPPINGS));
        AppSettings.requireKnown(object(config, "auth"), "auth.", PROVIDER, Set.of("type", "name"));
        AppSettings.requireKnown(object(config, "pagination"), "pagination.", PROVIDER,
                Set.of("style", "page_size", "size_param", "offset_param", "next_path"));
        AppSettings.requireKnown(object(config, "archived_when"), "archived_when.", PROVIDER,
                Set.of("field", "equals"));
        URI baseUrl = baseUrl(text(config, "base_url", true));
        Map<String, Object> auth = object(config, "auth");
        AuthType authType = auth == null ? AuthType.NONE
                : choice(text(auth, "type", "auth.type", true), AuthType.class, "auth.type");
        String authName = auth == null ? null : text(auth, "name", "auth.name", false);
        if ((authType == AuthType.API_KEY_HEADER || authType == AuthType.API_KEY_QUERY) && authName == null) {
            throw new ConfigInvalid("auth.name", "auth.name is required for " + authType.name().toLowerCase(Locale.ROOT));
        }
        Map<String, Object> paging = object(config, "pagination");
        PaginationStyle style = paging == null ? PaginationStyle.OFFSET
                : choice(text(paging, "style", "pagination.style", true), PaginationStyle.class, "pagination.style");
        int pageSize = paging == null ? 100 : AppSettings.wholeNumber(paging, "page_size", "pagination.page_size", 100, 1, 10_000);
        boolean pageNumbers = style == PaginationStyle.PAGE_NUMBER || style == PaginationStyle.LINK_HEADER;
        String sizeParam = textOr(paging, "size_param", "pagination.size_param", pageNumbers ? "per_page" : "limit");
        String offsetParam = textOr(paging, "offset_param", "pagination.offset_param", switch (style) {
            case OFFSET -> "offset";
            case PAGE_NUMBER, LINK_HEADER -> "page";
            case CURSOR -> "cursor";
            case NEXT_URL -> "";
        });
        String nextPointer = pointer(textOr(paging, "next_path", "pagination.next_path",
                style == PaginationStyle.CURSOR ? "/next_cursor" : "/next"), "pagination.next_path");
        String recordsPointer = pointer(textOr(config, "records_path", "records_path", "/data"), "records_path");
        String idField = pointer(textOr(config, "id_field", "id_field", "id"), "id_field");
        String updatedAt = config.containsKey("updated_at_field")
                ? pointer(text(config, "updated_at_field", true), "updated_at_field") : null;
        String createdAt = config.containsKey("created_at_field")
                ? pointer(text(config, "created_at_field", true), "created_at_field") : null;
        String incrementalParam = text(config, "incremental_param", false);
        if (incrementalParam != null && updatedAt == null) {
            throw new ConfigInvalid("updated_at_field", "updated_at_field is required with incremental_param");
        }
        String createdAfterParam = text(config, "created_after_param", false);
        if (createdAfterParam != null && createdAfterParam.isBlank()) {
            throw new ConfigInvalid("created_after_param", "created_after_param must name a query parameter");
        }
        String createdAfterFormat = text(config, "created_after_format", false);
        if (createdAfterFormat != null && createdAfterParam == null) {
            throw new ConfigInvalid("created_after_format", "created_after_format needs created_after_param");
        }
        CreatedAfter createdAfter = createdAfterParam == null ? null : new CreatedAfter(createdAfterParam,
                createdAfterFormat == null ? TimeFormat.ISO8601
                        : choice(createdAfterFormat, TimeFormat.class, "created_after_format"));
        Map<String, Object> archived = object(config, "archived_when");
        ArchivedWhen archivedWhen = archived == null ? null : new ArchivedWhen(
                pointer(text(archived, "field", "archived_when.field", true), "archived_when.field"),
                text(archived, "equals", "archived_when.equals", true));
        return new HttpJsonSettings(baseUrl, new Auth(authType, authName),
                new Pagination(style, pageSize, sizeParam, offsetParam, nextPointer), recordsPointer, idField,
                updatedAt, createdAt, incrementalParam, createdAfter, archivedWhen, collections(config),
                Duration.ofMillis(AppSettings.wholeNumber(config, "connect_timeout_ms", "connect_timeout_ms", 10_000, 100,
                        120_000)),
                Duration.ofMillis(AppSettings.wholeNumber(config, "read_timeout_ms", "read_timeout_ms", 30_000, 100,
                        600_000)));
    }

    public Collection collection(String collectionKey) throws ConfigInvalid {
        return collections.stream().filter(c -> c.collectionKey().equals(collectionKey)).findFirst()
                .orElseThrow(() -> new ConfigInvalid("collections", "no collection " + collectionKey));
    }

    private static List<Collection> collections(Map<String, Object> config) throws ConfigInvalid {
        Object value = config.get("collections");
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new ConfigInvalid("collections", "collections must be a non-empty array of {collection_key, path}");
        }
        List<Collection> collections = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String field = "collections[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> item)) {
                throw new ConfigInvalid(field, field + " must be an object");
            }
            @SuppressWarnings("unchecked") Map<String, Object> entry = (Map<String, Object>) item;
            AppSettings.requireKnown(entry, field + ".", PROVIDER, Set.of("collection_key", "path", "destination"));
            String key = AppSettings.requireCollectionKey(text(entry, "collection_key", field + ".collection_key", true),
                    field + ".collection_key");
            if (collections.stream().anyMatch(c -> c.collectionKey().equals(key))) {
                throw new ConfigInvalid(field + ".collection_key", "collection_key " + key + " appears twice");
            }
            String path = relativePath(text(entry, "path", field + ".path", true), field + ".path");
            collections.add(new Collection(key, path, writes(entry, field + ".destination")));
        }
        return collections;
    }

    /** A collection's {@code destination} section, or null when it has none. */
    private static Writes writes(Map<String, Object> entry, String field) throws ConfigInvalid {
        Map<String, Object> section = object(entry, "destination", field);
        if (section == null) {
            return null;
        }
        AppSettings.requireKnown(section, field + ".", PROVIDER, Set.of("create", "update", "id_pointer"));
        WriteRequest create = writeRequest(section, "create", field + ".create", WriteMethod.POST);
        WriteRequest update = writeRequest(section, "update", field + ".update", WriteMethod.PUT);
        if (create.path().contains(TARGET_ID)) {
            throw new ConfigInvalid(field + ".create.path", field + ".create.path cannot hold " + TARGET_ID
                    + ": a record has no target id before it is created");
        }
        if (!update.path().contains(TARGET_ID)) {
            throw new ConfigInvalid(field + ".update.path", field + ".update.path must hold " + TARGET_ID
                    + ", where the record's id goes");
        }
        String idPointer = AppSettings.requireJsonPointer(textOr(section, "id_pointer", field + ".id_pointer", "/id"),
                field + ".id_pointer");
        return new Writes(create, update, idPointer);
    }

    private static WriteRequest writeRequest(Map<String, Object> section, String key, String field,
                                             WriteMethod defaultMethod) throws ConfigInvalid {
        Map<String, Object> request = object(section, key, field);
        if (request == null) {
            throw new ConfigInvalid(field, field + " is required: {\"method\": …, \"path\": …}");
        }
        AppSettings.requireKnown(request, field + ".", PROVIDER, Set.of("method", "path"));
        String method = text(request, "method", field + ".method", false);
        WriteMethod writeMethod = method == null ? defaultMethod : choice(method, WriteMethod.class, field + ".method");
        String path = relativePath(text(request, "path", field + ".path", true), field + ".path");
        try {
            URI.create(path.replace(TARGET_ID, "id"));
        } catch (IllegalArgumentException e) {
            throw new ConfigInvalid(field + ".path", field + ".path is not a URL path: " + e.getMessage());
        }
        return new WriteRequest(writeMethod, path);
    }

    /** A path under {@code base_url}: relative, so requests stay on the base URL's origin. */
    private static String relativePath(String path, String field) throws ConfigInvalid {
        if (path.contains("://") || path.startsWith("//")) {
            throw new ConfigInvalid(field, "path must be relative to base_url");
        }
        return path;
    }

    private static URI baseUrl(String value) throws ConfigInvalid {
        try {
            URI uri = new URI(value);
            if (!AppSettings.isHttpUrl(uri) || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new ConfigInvalid("base_url", "base_url must be http(s)://host[:port][/path], without query or credentials");
            }
            return value.endsWith("/") ? uri : new URI(value + "/");
        } catch (java.net.URISyntaxException e) {
            throw new ConfigInvalid("base_url", "base_url is not a URL");
        }
    }

    /** A JSON pointer or dotted name ({@link AppSettings#pointer}); a dotted name with a space is a slip, not a field. */
    private static String pointer(String value, String field) throws ConfigInvalid {
        String pointer = AppSettings.pointer(value);
        if (!pointer.equals(value) && value.contains(" ")) {
            throw new ConfigInvalid(field, field + " must be a JSON pointer like /data or a name like data");
        }
        return pointer;
    }

    private static <E extends Enum<E>> E choice(String value, Class<E> type, String field) throws ConfigInvalid {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigInvalid(field, field + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    private static Map<String, Object> object(Map<String, Object> config, String field) throws ConfigInvalid {
        return object(config, field, field);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> config, String key, String field) throws ConfigInvalid {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new ConfigInvalid(field, field + " must be an object");
        }
        return (Map<String, Object>) value;
    }

    private static String text(Map<String, Object> config, String field, boolean required) throws ConfigInvalid {
        return text(config, field, field, required);
    }

    private static String text(Map<String, Object> config, String key, String field, boolean required)
            throws ConfigInvalid {
        String value = AppSettings.string(config, key, field);
        if (value == null && required) {
            throw new ConfigInvalid(field, field + " is required");
        }
        return value;
    }

    private static String textOr(Map<String, Object> config, String key, String field, String fallback)
            throws ConfigInvalid {
        String value = config == null ? null : text(config, key, field, false);
        return value == null ? fallback : value;
    }
}
