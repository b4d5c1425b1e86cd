package dev.tributary.connector.stripe;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.UnixSeconds;
import dev.tributary.connector.json.CanonicalJson;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A full Stripe fetch, through a list endpoint: {@code limit=100}, then {@code starting_after}
 * the last object of each page, nothing expanded; with the app's {@code sync_from},
 * {@code created[gte]} keeps older objects out of the list (subscription items, which Stripe
 * lists only per subscription and cannot filter so, follow their subscription's creation).
 * The cursor is that last id, so an
 * interrupted fetch resumes after it. Subscription items are listed through their
 * subscriptions (canceled ones too): the items each embeds, or all of them from
 * {@code /v1/subscription_items?subscription=…} when it embeds only the first ones.
 * A page only moves on after it succeeded, so after a 429 or a 5xx the engine asks
 * again for the same page.
 */
final class StripeFullPages implements PageSource {

    private final StripeApi api;
    private final StripeCollection collection;
    private final Instant syncFrom;
    private final Clock clock;
    private String startingAfter;
    private boolean done;

    /** @param syncFrom the app's {@code sync_from}: only objects created on or after it are listed; null for all */
    StripeFullPages(StripeApi api, StripeCollection collection, String startingAfter, Instant syncFrom, Clock clock) {
        this.api = api;
        this.collection = collection;
        this.startingAfter = startingAfter;
        this.syncFrom = syncFrom;
        this.clock = clock;
    }

    @Override
    public Optional<Page> next() throws ConnectorException {
        if (done) {
            return Optional.empty();
        }
        StripeCollection listed = collection == StripeCollection.SUBSCRIPTION_ITEM
                ? StripeCollection.SUBSCRIPTION : collection;
        Map<String, String> query = new LinkedHashMap<>(listed.listParameters);
        query.put("limit", StripeApi.PAGE_SIZE);
        if (startingAfter != null) {
            query.put("starting_after", startingAfter);
        }
        if (syncFrom != null) {
            query.put("created[gte]", Long.toString(UnixSeconds.notBefore(syncFrom)));
        }
        CanonicalJson.Value list = api.get("/v1/" + listed.resource, query);
        Instant observedAt = StripeObjects.now(clock);
        List<NormalizedEntity> entities = new ArrayList<>();
        List<Page.RecordFailure> failures = new ArrayList<>();
        String last = null;
        for (CanonicalJson.Value object : StripeObjects.data(list)) {
            last = CanonicalJson.scalarAt(object, "/id");
            if (collection == StripeCollection.SUBSCRIPTION_ITEM) {
                addItems(object, observedAt, entities, failures);
                continue;
            }
            try {
                entities.add(StripeObjects.entity(collection, object, observedAt));
            } catch (IllegalArgumentException e) {
                failures.add(new Page.RecordFailure(last, ConnectorException.describe(e)));
            }
        }
        boolean more = "true".equals(CanonicalJson.scalarAt(list, "/has_more")) && last != null;
        done = !more;
        startingAfter = last;
        if (last == null) {
            return Optional.empty();
        }
        return Optional.of(new Page(collection.key, entities, failures, more ? last : null));
    }

    /**
     * A subscription's items, each an entity or a failure of its own (under the item's id, so the
     * engine counts a failed item as seen): those it embeds, or all of them from the items list
     * endpoint when it embeds only the first ones.
     */
    private void addItems(CanonicalJson.Value subscription, Instant observedAt, List<NormalizedEntity> entities,
                          List<Page.RecordFailure> failures) throws ConnectorException {
        List<CanonicalJson.Value> items = StripeObjects.moreItems(subscription) ? allItems(subscription)
                : StripeObjects.embeddedItems(subscription);
        Instant archivedAt;
        try {
            archivedAt = StripeObjects.archivedAt(StripeCollection.SUBSCRIPTION, subscription, observedAt);
        } catch (IllegalArgumentException e) {
            String reason = "subscription " + CanonicalJson.scalarAt(subscription, "/id") + ": " + ConnectorException.describe(e);
            items.forEach(item -> failures.add(new Page.RecordFailure(CanonicalJson.scalarAt(item, "/id"), reason)));
            return;
        }
        for (CanonicalJson.Value item : items) {
            try {
                entities.add(StripeObjects.item(item, archivedAt, observedAt));
            } catch (IllegalArgumentException e) {
                failures.add(new Page.RecordFailure(CanonicalJson.scalarAt(item, "/id"), ConnectorException.describe(e)));
            }
        }
    }

    /** Every item of a subscription that embeds only its first ones, from the items list endpoint. */
    private List<CanonicalJson.Value> allItems(CanonicalJson.Value subscription) throws ConnectorException {
        List<CanonicalJson.Value> items = new ArrayList<>();
        String after = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("subscription", CanonicalJson.scalarAt(subscription, "/id"));
            query.put("limit", StripeApi.PAGE_SIZE);
            if (after != null) {
                query.put("starting_after", after);
            }
            CanonicalJson.Value list = api.get("/v1/subscription_items", query);
            after = null;
            for (CanonicalJson.Value item : StripeObjects.data(list)) {
                items.add(item);
                after = CanonicalJson.scalarAt(item, "/id");
            }
            if (!"true".equals(CanonicalJson.scalarAt(list, "/has_more"))) {
                after = null;
            }
        } while (after != null);
        return items;
    }
}
