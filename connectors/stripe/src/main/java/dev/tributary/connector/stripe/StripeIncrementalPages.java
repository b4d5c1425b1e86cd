package dev.tributary.connector.stripe;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.UnixSeconds;
import dev.tributary.connector.json.CanonicalJson;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An incremental Stripe fetch, through {@code /v1/events}: the collection's events since the
 * last successful sync (less a margin for clocks that disagree), newest first. Each
 * event carries its object as it was then, so the newest event of an object is the
 * one applied and older ones are skipped; a deleted event removes the object. Such a
 * walk cannot be resumed part-way (what it skipped depends on what came before), so
 * its pages carry no cursor: an interrupted incremental run starts the walk over.
 */
final class StripeIncrementalPages implements PageSource {

    /** Events a little older than the last sync are read again: applying one twice changes nothing. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    private final StripeApi api;
    private final StripeCollection collection;
    private final Instant since;
    private final Set<String> decided = new HashSet<>();
    private String startingAfter;
    private boolean done;

    StripeIncrementalPages(StripeApi api, StripeCollection collection, Instant since) {
        this.api = api;
        this.collection = collection;
        this.since = since;
    }

    @Override
    public Optional<Page> next() throws ConnectorException {
        if (done) {
            return Optional.empty();
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", StripeApi.PAGE_SIZE);
        query.put("type", collection.events);
        query.put("created[gte]", Long.toString(since.minus(CLOCK_MARGIN).getEpochSecond()));
        if (startingAfter != null) {
            query.put("starting_after", startingAfter);
        }
        CanonicalJson.Value list = api.get("/v1/events", query);
        List<NormalizedEntity> entities = new ArrayList<>();
        List<Page.RecordFailure> failures = new ArrayList<>();
        List<Page.Removal> removals = new ArrayList<>();
        String last = null;
        for (CanonicalJson.Value event : StripeObjects.data(list)) {
            last = CanonicalJson.scalarAt(event, "/id");
            CanonicalJson.Value object = CanonicalJson.valueAt(event, "/data/object");
            String objectType = object == null ? null : CanonicalJson.scalarAt(object, "/object");
            String objectId = object == null ? null : CanonicalJson.scalarAt(object, "/id");
            try {
                if (collection == StripeCollection.SUBSCRIPTION_ITEM && "subscription".equals(objectType)) {
                    for (NormalizedEntity item : StripeObjects.items(object, occurredAt(event))) {
                        if (decided.add(item.externalId())) {
                            entities.add(item);
                        }
                    }
                } else if (collection.objectType.equals(objectType)) {
                    if (objectId == null || !decided.add(objectId)) {
                        continue; // a newer event of this object was applied already (or it has no id at all)
                    }
                    Instant at = occurredAt(event);
                    if (StripeWebhooks.deletes(collection, CanonicalJson.scalarAt(event, "/type"), object)) {
                        removals.add(new Page.Removal(objectId, at));
                    } else {
                        entities.add(StripeObjects.entity(collection, object, at));
                    }
                }
            } catch (IllegalArgumentException e) {
                failures.add(new Page.RecordFailure(objectId, "event " + last + ": " + ConnectorException.describe(e)));
            }
        }
        done = last == null || !"true".equals(CanonicalJson.scalarAt(list, "/has_more"));
        startingAfter = last;
        if (last == null) {
            return Optional.empty();
        }
        return Optional.of(new Page(collection.key, entities, failures, removals, null));
    }

    private static Instant occurredAt(CanonicalJson.Value event) {
        Instant at = UnixSeconds.at(event, "created");
        if (at == null) {
            throw new IllegalArgumentException("the event has no created time");
        }
        return at;
    }
}
