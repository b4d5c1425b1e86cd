package dev.tributary.connector.httpjson;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.json.JsonRecordNormalizer;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An incremental http-json fetch: the collection's list asked, through {@code incremental_param}, only
 * for what changed since the last sync, then walked like a full one (the next-page URLs the API hands
 * back carry the filter on, and so do stored cursors). The API decides what changed; without an
 * {@code incremental_param} it is asked for everything, and the engine's content hashes tell new,
 * updated and unchanged apart.
 */
final class HttpJsonIncrementalPages implements PageSource {

    private final HttpJsonPageWalk walk;

    /** @param resumeAt the next page a previous run stored as its cursor, or null to start at the first */
    HttpJsonIncrementalPages(HttpJsonApi api, JsonRecordNormalizer normalizer, HttpJsonSettings.Collection collection,
                             Instant modifiedSince, Instant syncFrom, URI resumeAt) {
        this.walk = new HttpJsonPageWalk(api, normalizer, collection.collectionKey(), syncFrom,
                resumeAt != null ? resumeAt : changedSince(api, collection, modifiedSince));
    }

    private static URI changedSince(HttpJsonApi api, HttpJsonSettings.Collection collection, Instant modifiedSince) {
        String param = api.settings().incrementalParam();
        URI first = api.firstPage(collection);
        return param == null ? first : HttpJsonApi.withQuery(first, Map.of(param, modifiedSince.toString()));
    }

    @Override
    public Optional<Page> next() throws ConnectorException {
        return walk.next();
    }
}
