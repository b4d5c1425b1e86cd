package dev.tributary.connector.stripe;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.json.CanonicalJson;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A full fetch through a list endpoint: {@code limit=100}, then {@code starting_after}
 * the last object of each page, nothing expanded. The cursor is that last id, so an
 * interrupted fetch resumes after it. Subscription items are listed through their
 * subscriptions (canceled ones too): the items each embeds, or all of them from
 * {@code /v1/subscription_items?subscription=…} when it embeds only the first ones.
 * A page only moves on after it succeeded, so after a 429 or a 5xx the engine asks
 * again for the same page.
 */
final class StripeListPages implements PageSource {

    static final String PAGE_SIZE = "100";

    private final StripeApi api;
    private final StripeCollection collection;
    private final Clock clock;
    private String startingAfter;
    private boolean done;

    StripeListPages(StripeApi api, StripeCollection collection, String startingAfter, Clock clock) {
        this.api = api;
        this.collection = collection;
        this.startingAfter = startingAfter;
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
        query.put("limit", PAGE_SIZE);
        if (startingAfter != null) {
            query.put("starting_after", startingAfter);
        }
        CanonicalJson.Value list = api.get("/v1/" + listed.resource, query);
        Instant observedAt = StripeObjects.now(clock);
        List<NormalizedEntity> entities = new ArrayList<>();
        List<Page.RecordFailure> failures = new ArrayList<>();
        String last = null;
        for (CanonicalJson.Value object : data(list)) {
            last = CanonicalJson.scalarAt(object, "/id");
            try {
                if (collection == StripeCollection.SUBSCRIPTION_ITEM) {
                    entities.addAll(StripeObjects.moreItems(object) ? allItems(object, observedAt)
                            : StripeObjects.items(object, observedAt));
                } else {
                    entities.add(StripeObjects.entity(collection, object, observedAt));
                }
            } catch (IllegalArgumentException e) {
                failures.add(new Page.RecordFailure(last, e.getMessage()));
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

    /** Every item of a subscription that embeds only its first ones, from the items list endpoint. */
    private List<NormalizedEntity> allItems(CanonicalJson.Value subscription, Instant observedAt)
            throws ConnectorException {
        Instant archivedAt = StripeObjects.archivedAt(StripeCollection.SUBSCRIPTION, subscription, observedAt);
        List<NormalizedEntity> items = new ArrayList<>();
        String after = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("subscription", CanonicalJson.scalarAt(subscription, "/id"));
            query.put("limit", PAGE_SIZE);
            if (after != null) {
                query.put("starting_after", after);
            }
            CanonicalJson.Value list = api.get("/v1/subscription_items", query);
            after = null;
            for (CanonicalJson.Value item : data(list)) {
                items.add(StripeObjects.item(item, archivedAt, observedAt));
                after = CanonicalJson.scalarAt(item, "/id");
            }
            if (!"true".equals(CanonicalJson.scalarAt(list, "/has_more"))) {
                after = null;
            }
        } while (after != null);
        return items;
    }

    static List<CanonicalJson.Value> data(CanonicalJson.Value list) {
        return CanonicalJson.valueAt(list, "/data") instanceof CanonicalJson.Elements elements
                ? elements.values() : List.of();
    }
}
