package dev.tributary.connector;

import dev.tributary.connector.ConnectorException.ConfigInvalid;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connector that can also write records to its provider: the push side of a sync list, which keeps
 * a target app's records in step with a source app's. The engine shapes each body (a
 * {@link FieldMapping}), then creates the record — and keeps the id the provider gave it — or updates it
 * by that id. Errors are the {@link ConnectorException} family the reads raise, mapped from HTTP answers by
 * {@link ConnectorException#ofHttpStatus}, so retries are decided the same way. A destination never
 * touches the database.
 */
public interface Destination {

    /** App setting: {collection: field mapping} — how each writable collection's body is shaped by default. */
    String FIELD_MAPPINGS = "field_mappings";

    /** The collections this app can write (e.g. intercom_contact); a sync list item's target collection is one of them. */
    List<String> writableCollections(AppContext app) throws ConfigInvalid;

    /**
     * The field mapping the target app's config declares for a collection: config key {@code field_mappings} →
     * {collection: mapping}; empty when none.
     */
    default Optional<FieldMapping> fieldMapping(AppContext app, String collection) throws ConfigInvalid {
        return Optional.ofNullable(fieldMappings(app).get(collection));
    }

    /**
     * Every field mapping of the app's {@code field_mappings}, read strictly: an object whose keys are writable
     * collections and whose values are {@link FieldMapping#parse mappings}; none when the setting is absent.
     * A destination's {@code validate} calls it, so a bad mapping is refused when the app is saved.
     */
    default Map<String, FieldMapping> fieldMappings(AppContext app) throws ConfigInvalid {
        Object value = app.config().get(FIELD_MAPPINGS);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> byCollection)) {
            throw new ConfigInvalid(FIELD_MAPPINGS, FIELD_MAPPINGS + " must be an object of collection → field mapping");
        }
        List<String> writable = writableCollections(app);
        Map<String, FieldMapping> mappings = new LinkedHashMap<>();
        for (var entry : byCollection.entrySet()) {
            String field = FIELD_MAPPINGS + "." + entry.getKey();
            if (!writable.contains(entry.getKey())) {
                throw new ConfigInvalid(field, FIELD_MAPPINGS + " names " + entry.getKey()
                        + ", which this app cannot write; writable: " + writable);
            }
            mappings.put((String) entry.getKey(), FieldMapping.parse(entry.getValue(), field));
        }
        return mappings;
    }

    /** Creates a record from {@code body} (a JSON object's text) and returns the provider's id of it. */
    String create(AppContext app, String collection, String body) throws ConnectorException;

    /** Replaces/updates the provider's record {@code targetId}; ConnectorException.NotFound when the provider no longer has it. */
    void update(AppContext app, String collection, String targetId, String body) throws ConnectorException;
}
