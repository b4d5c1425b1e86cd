package dev.tributary.connector.httpjson;

import com.fasterxml.jackson.core.JsonToken;
import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.Destination;
import dev.tributary.connector.json.CanonicalJson;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * http-json's write side: a collection whose settings have a {@code destination} section is written with
 * the requests it declares — create (the new id read at {@code id_pointer} in the answer) and update (the
 * target id in the path) — through the same API as the reads: base URL, authentication, timeouts, no
 * redirects, allowed hosts only. A collection without the section is not writable.
 */
final class HttpJsonDestination implements Destination {

    private final HttpJsonConnector connector;

    HttpJsonDestination(HttpJsonConnector connector) {
        this.connector = connector;
    }

    @Override
    public List<String> writableCollections(AppContext app) throws ConfigInvalid {
        return HttpJsonSettings.of(app.config()).collections().stream().filter(c -> c.writes() != null)
                .map(HttpJsonSettings.Collection::collectionKey).toList();
    }

    @Override
    public String create(AppContext app, String collection, String body) throws ConnectorException {
        HttpJsonApi api = connector.api(app);
        HttpJsonSettings.Writes writes = writes(api, collection);
        String answer = api.write(writes.create().method(), target(api, writes.create(), null), body);
        CanonicalJson.Value id;
        try {
            id = CanonicalJson.valueAt(CanonicalJson.parse(answer), writes.idPointer());
        } catch (IOException e) {
            throw new ConnectorException.Rejected("the create answer of " + collection + " is not JSON, so it has no id"
                    + " at " + writes.idPointer());
        }
        if (id instanceof CanonicalJson.Scalar scalar && !Objects.requireNonNullElse(scalar.text(), "").isEmpty()
                && (scalar.token() == JsonToken.VALUE_STRING || scalar.token() == JsonToken.VALUE_NUMBER_INT)) {
            return scalar.text();
        }
        throw new ConnectorException.Rejected("the create answer of " + collection + " has no id (a string or a whole"
                + " number) at " + writes.idPointer());
    }

    @Override
    public void update(AppContext app, String collection, String targetId, String body) throws ConnectorException {
        if (targetId.isEmpty() || targetId.equals(".") || targetId.equals("..")) {
            // Each would change the path's meaning instead of naming a record.
            throw new ConnectorException.Rejected("\"" + targetId + "\" cannot be a target id");
        }
        HttpJsonApi api = connector.api(app);
        HttpJsonSettings.Writes writes = writes(api, collection);
        api.write(writes.update().method(), target(api, writes.update(), targetId), body);
    }

    private static HttpJsonSettings.Writes writes(HttpJsonApi api, String collectionKey) throws ConfigInvalid {
        HttpJsonSettings.Writes writes = api.settings().collection(collectionKey).writes();
        if (writes == null) {
            throw new ConfigInvalid("collections", "collection " + collectionKey + " has no destination section,"
                    + " so this app cannot write it");
        }
        return writes;
    }

    private static URI target(HttpJsonApi api, HttpJsonSettings.WriteRequest request, String targetId)
            throws ConfigInvalid {
        URI uri = api.writeTarget(request, targetId);
        api.requireSameOrigin(uri);
        return uri;
    }
}
