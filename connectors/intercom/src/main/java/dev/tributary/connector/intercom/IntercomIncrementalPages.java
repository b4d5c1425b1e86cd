package dev.tributary.connector.intercom;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.UnixSeconds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An incremental Intercom fetch: what changed after the last sync, less a margin for clocks that
 * disagree. Contacts and conversations are asked through their search ({@code updated_at >}, joined by
 * {@code AND} to the {@code created_at} comparison of the app's {@code sync_from}, which never moves the
 * change time); companies have no search, so their list is read whole and filtered here on
 * {@code updated_at} and {@code created_at}; admins and tags carry neither time and are read whole.
 * Contact search compares times by day, so what comes back outside the window is dropped here. Search
 * does not return deleted objects: deletions arrive by webhook or at the next full sync.
 */
final class IntercomIncrementalPages implements PageSource {

    /** Changes a little older than the last sync are read again: applying one twice changes nothing. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    private final IntercomPageWalk walk;

    /**
     * @param syncFrom the app's {@code sync_from}: only objects created on or after it are fetched; null for all
     * @param cursor   where a previous run stopped, or null to start at the first page
     */
    IntercomIncrementalPages(IntercomApi api, IntercomCollection collection, Instant modifiedSince, Instant syncFrom,
                             String cursor, Clock clock) {
        Instant since = modifiedSince.minus(CLOCK_MARGIN);
        IntercomPageWalk.Request request = collection.searchable()
                ? at -> api.search(collection, after(collection, since, syncFrom), at)
                : at -> api.list(collection, at);
        this.walk = new IntercomPageWalk(collection, request, entity -> changedInWindow(entity, since, syncFrom),
                cursor, clock);
    }

    /** The search's lower bounds: created on or after {@code sync_from} (when set), and changed after {@code since}. */
    private static Map<String, Long> after(IntercomCollection collection, Instant since, Instant syncFrom) {
        Map<String, Long> after = new LinkedHashMap<>();
        if (syncFrom != null) {
            after.put("created_at", collection.searchBound(UnixSeconds.notBefore(syncFrom)));
        }
        after.put("updated_at", collection.searchBound(since.getEpochSecond() + 1));
        return after;
    }

    /** Exact where the search was coarse (contacts, by day) or absent (companies); a no-op otherwise. */
    private static boolean changedInWindow(NormalizedEntity entity, Instant since, Instant syncFrom) {
        return !entity.createdBefore(syncFrom) && entity.sourceUpdatedAt().isAfter(since);
    }

    @Override
    public Optional<Page> next() throws ConnectorException {
        return walk.next();
    }
}
