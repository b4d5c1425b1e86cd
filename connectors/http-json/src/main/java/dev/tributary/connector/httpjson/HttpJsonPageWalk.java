package dev.tributary.connector.httpjson;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.json.CanonicalJson;
import dev.tributary.connector.json.JsonDocumentReader;
import dev.tributary.connector.json.JsonRecordNormalizer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The walk every http-json fetch makes down a collection's list, from a first URL on, page by page:
 * each page read as a stream, its next page found as the pagination style says and followed only
 * where {@link HttpJsonApi#requireFollowable} allows. It only moves on after a page succeeded, so
 * after a rate limit or a transient failure the engine may call {@link #next()} again and the same
 * page is asked for again. With the app's {@code sync_from} and a {@code created_after_param}, every
 * page request carries it (a next-page URL the API hands back need not); records that still come,
 * created before it by their {@code created_at_field}, are dropped. {@link HttpJsonFullPages} and
 * {@link HttpJsonIncrementalPages} say where it starts.
 */
final class HttpJsonPageWalk {

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");

    private final HttpJsonSettings settings;
    private final HttpJsonApi api;
    private final JsonRecordNormalizer normalizer;
    private final String collectionKey;
    private final Instant syncFrom;
    private URI next;

    HttpJsonPageWalk(HttpJsonApi api, JsonRecordNormalizer normalizer, String collectionKey, Instant syncFrom,
                     URI first) {
        this.settings = api.settings();
        this.api = api;
        this.normalizer = normalizer;
        this.collectionKey = collectionKey;
        this.syncFrom = syncFrom;
        this.next = first;
    }

    /** The next page, or empty after the last. */
    Optional<Page> next() throws ConnectorException {
        if (next == null) {
            return Optional.empty();
        }
        URI asked = syncFrom == null || settings.createdAfter() == null ? next : HttpJsonApi.withQuery(next,
                Map.of(settings.createdAfter().param(), settings.createdAfter().value(syncFrom)));
        HttpResponse<InputStream> response = api.open(asked);
        JsonDocumentReader.Result document;
        try (InputStream body = response.body()) {
            document = JsonDocumentReader.read(body, settings.recordsPointer(), Set.of(settings.pagination().nextPointer()));
        } catch (IOException e) {
            throw new ConnectorException.Transient("the page at " + next.getPath() + " is not readable JSON", e);
        }
        List<NormalizedEntity> entities = new ArrayList<>();
        List<Page.RecordFailure> failures = new ArrayList<>();
        for (CanonicalJson.Value record : document.records()) {
            var outcome = normalizer.normalize(record);
            if (outcome.entity() == null) {
                failures.add(outcome.failure());
            } else if (!outcome.entity().createdBefore(syncFrom)) {
                entities.add(outcome.entity());
            }
        }
        URI following;
        try {
            following = following(response, document);
        } catch (IllegalArgumentException notAUrl) {
            // Not quoted: the API may echo a query-string API key into it.
            throw new ConnectorException.Rejected("the page at " + next.getPath() + " points to a next page that is"
                    + " not a URL");
        }
        if (following != null) {
            api.requireFollowable(following);
        }
        next = following;
        if (document.records().isEmpty() && following == null) {
            return Optional.empty();
        }
        return Optional.of(new Page(collectionKey, entities, failures, following == null ? null : following.toString()));
    }

    private URI following(HttpResponse<InputStream> response, JsonDocumentReader.Result document) {
        var pagination = settings.pagination();
        int count = document.records().size();
        return switch (pagination.style()) {
            case OFFSET -> count == 0 ? null : HttpJsonApi.withQuery(next, Map.of(pagination.offsetParam(),
                    Long.toString(queryNumber(next, pagination.offsetParam(), 0) + count)));
            case PAGE_NUMBER -> count == 0 ? null : HttpJsonApi.withQuery(next, Map.of(pagination.offsetParam(),
                    Long.toString(queryNumber(next, pagination.offsetParam(), 1) + 1)));
            case CURSOR -> {
                String cursor = document.values().get(pagination.nextPointer());
                yield cursor == null || cursor.isEmpty() || count == 0 ? null
                        : HttpJsonApi.withQuery(next, Map.of(pagination.offsetParam(), cursor));
            }
            case LINK_HEADER -> response.headers().allValues("Link").stream()
                    .map(NEXT_LINK::matcher).filter(Matcher::find).findFirst()
                    .map(m -> next.resolve(m.group(1))).orElse(null);
            case NEXT_URL -> {
                String url = document.values().get(pagination.nextPointer());
                yield url == null || url.isEmpty() ? null : next.resolve(url);
            }
        };
    }

    private static long queryNumber(URI uri, String name, long fallback) {
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.startsWith(name + "=")) {
                    try {
                        return Long.parseLong(pair.substring(name.length() + 1));
                    } catch (NumberFormatException e) {
                        return fallback;
                    }
                }
            }
        }
        return fallback;
    }
}
