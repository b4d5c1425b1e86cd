package dev.tributary.connector.intercom;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.UnixSeconds;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A full Intercom fetch: every page of the resource's list. With the app's {@code sync_from}, contacts
 * and conversations are read through their search instead, asking only for what was created on or after
 * it; companies have no search, so their list is read whole and the older ones dropped here; admins and
 * tags carry no creation time and are read whole. Contact search compares times by day, so it is asked
 * from a day earlier and what comes back too early is dropped here too. The engine deletes what such a
 * fetch did not see.
 */
final class IntercomFullPages implements PageSource {

    private final IntercomPageWalk walk;

    /**
     * @param syncFrom the app's {@code sync_from}: only objects created on or after it are fetched; null for all
     * @param cursor   where a previous run stopped, or null to start at the first page
     */
    IntercomFullPages(IntercomApi api, IntercomCollection collection, Instant syncFrom, String cursor, Clock clock) {
        IntercomPageWalk.Request request = syncFrom != null && collection.searchable()
                ? at -> api.search(collection, Map.of("created_at",
                        collection.searchBound(UnixSeconds.notBefore(syncFrom))), at)
                : at -> api.list(collection, at);
        this.walk = new IntercomPageWalk(collection, request, entity -> !entity.createdBefore(syncFrom), cursor, clock);
    }

    @Override
    public Optional<Page> next() throws ConnectorException {
        return walk.next();
    }
}
