package dev.tributary.connector.httpjson;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.json.JsonRecordNormalizer;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * A full http-json fetch: the collection's whole list, from its first page — or from the page a
 * stopped run reached, whose URL is the cursor stored with the page before it. The engine deletes
 * what such a fetch did not see.
 */
final class HttpJsonFullPages implements PageSource {

    private final HttpJsonPageWalk walk;

    /** @param resumeAt the next page a previous run stored as its cursor, or null to start at the first */
    HttpJsonFullPages(HttpJsonApi api, JsonRecordNormalizer normalizer, HttpJsonSettings.Collection collection,
                      Instant syncFrom, URI resumeAt) {
        this.walk = new HttpJsonPageWalk(api, normalizer, collection.collectionKey(), syncFrom,
                resumeAt != null ? resumeAt : api.firstPage(collection));
    }

    @Override
    public Optional<Page> next() throws ConnectorException {
        return walk.next();
    }
}
