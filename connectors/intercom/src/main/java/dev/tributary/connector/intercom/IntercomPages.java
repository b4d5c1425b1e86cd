package dev.tributary.connector.intercom;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.UnixSeconds;
import dev.tributary.connector.json.CanonicalJson;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pages of one Intercom fetch. A full fetch lists the resource; an incremental
 * one asks the search endpoint for what changed after the last sync (less a margin
 * for clocks that disagree), and with the app's {@code sync_from} the search (full or
 * incremental) also asks only for what was created on or after it — companies have no
 * search, so their list is read and filtered here on {@code updated_at} and
 * {@code created_at}; admins and tags carry neither time and are read whole either way.
 * Contact search compares times by day, so it is asked from a day earlier and what comes
 * back outside the window is dropped here. The cursor is the {@code starting_after} of the
 * next page (or the next page's number), so an interrupted fetch resumes there; a page only
 * moves on after it succeeded.
 */
final class IntercomPages implements PageSource {

    static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);
    private static final int CURSOR_PAGE_SIZE = 150;
    private static final int NUMBERED_PAGE_SIZE = 60;

    private final IntercomApi api;
    private final IntercomCollection collection;
    private final Instant since;
    private final Instant syncFrom;
    private final Clock clock;
    private String cursor;
    private boolean done;

    /** @param syncFrom the app's {@code sync_from}: only objects created on or after it are fetched; null for all */
    IntercomPages(IntercomApi api, IntercomCollection collection, Instant modifiedSince, Instant syncFrom,
                  String cursor, Clock clock) {
        this.api = api;
        this.collection = collection;
        this.since = modifiedSince == null ? null : modifiedSince.minus(CLOCK_MARGIN);
        this.syncFrom = syncFrom;
        this.cursor = cursor;
        this.clock = clock;
    }

    @Override
    public Optional<Page> next() throws ConnectorException {
        if (done) {
            return Optional.empty();
        }
        CanonicalJson.Value answer = fetchPage();
        Instant observedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<NormalizedEntity> entities = new ArrayList<>();
        List<Page.RecordFailure> failures = new ArrayList<>();
        List<CanonicalJson.Value> records = CanonicalJson.valueAt(answer, collection.recordsPointer)
                instanceof CanonicalJson.Elements elements ? elements.values() : List.of();
        for (CanonicalJson.Value record : records) {
            try {
                NormalizedEntity entity = IntercomObjects.entity(collection, record, observedAt, null);
                if (inWindow(entity)) {
                    entities.add(entity);
                }
            } catch (IllegalArgumentException e) {
                failures.add(new Page.RecordFailure(CanonicalJson.scalarAt(record, "/id"),
                        ConnectorException.describe(e)));
            }
        }
        String following = following(answer, records.isEmpty());
        done = following == null;
        cursor = following;
        if (records.isEmpty() && following == null) {
            return Optional.empty();
        }
        return Optional.of(new Page(collection.key, entities, failures, following));
    }

    /**
     * Whether an entity belongs to this fetch: created on or after {@code sync_from} (an object without a
     * creation time cannot be told, and is kept), and for an incremental fetch changed after the last sync.
     * Exact where the search was coarse (contacts, by day) or absent (companies); a no-op otherwise.
     */
    private boolean inWindow(NormalizedEntity entity) {
        return !entity.createdBefore(syncFrom) && (since == null || entity.sourceUpdatedAt().isAfter(since));
    }

    private CanonicalJson.Value fetchPage() throws ConnectorException {
        switch (collection.listing) {
            case CURSOR -> {
                if (since != null || syncFrom != null) {
                    return api.post(collection.searchPath, Map.of(), searchBody());
                }
                Map<String, String> query = new LinkedHashMap<>();
                query.put("per_page", Integer.toString(CURSOR_PAGE_SIZE));
                if (cursor != null) {
                    query.put("starting_after", cursor);
                }
                return api.get(collection.listPath, query);
            }
            case PAGE_NUMBER -> {
                Map<String, String> query = new LinkedHashMap<>();
                query.put("page", cursor == null ? "1" : cursor);
                query.put("per_page", Integer.toString(NUMBERED_PAGE_SIZE));
                return api.post(collection.listPath, query, "{}");
            }
            default -> {
                return api.get(collection.listPath, Map.of());
            }
        }
    }

    /**
     * A search for what was created on or after {@code sync_from} and, incrementally, changed after the last
     * sync: one {@code >} comparison, or both joined by {@code AND}.
     */
    private String searchBody() {
        List<String> comparisons = new ArrayList<>();
        if (syncFrom != null) {
            comparisons.add(after("created_at", collection.searchBound(UnixSeconds.notBefore(syncFrom))));
        }
        if (since != null) {
            comparisons.add(after("updated_at", collection.searchBound(since.getEpochSecond() + 1)));
        }
        String query = comparisons.size() == 1 ? comparisons.get(0)
                : "{\"operator\":\"AND\",\"value\":[" + String.join(",", comparisons) + "]}";
        String pagination = "\"pagination\":{\"per_page\":" + CURSOR_PAGE_SIZE
                + (cursor == null ? "" : ",\"starting_after\":" + quoted(cursor)) + "}";
        return "{\"query\":" + query + "," + pagination + "}";
    }

    private static String after(String field, long value) {
        return "{\"field\":\"" + field + "\",\"operator\":\">\",\"value\":" + value + "}";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Where the next page starts, or null after the last. */
    private String following(CanonicalJson.Value answer, boolean empty) {
        return switch (collection.listing) {
            case CURSOR -> empty ? null : CanonicalJson.scalarAt(answer, "/pages/next/starting_after");
            case PAGE_NUMBER -> empty ? null : CanonicalJson.scalarAt(answer, "/pages/next");
            case WHOLE -> null;
        };
    }
}
