package dev.tributary.connector.stripe;

import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.UnixSeconds;
import dev.tributary.connector.json.CanonicalJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe objects as entities. Stripe objects carry when they were created but not
 * when they last changed, so an entity's source time is when Stripe vouched for that
 * state: the event's {@code created}, or the moment a list page was read. That is the
 * time an older state is told from a newer one by. Archived: an inactive product or
 * price, a canceled (or expired incomplete) subscription and its items. A time that is not a
 * Unix time, or one PostgreSQL cannot store, makes the object unusable: an
 * {@link IllegalArgumentException} naming the field, which callers record as that object's failure.
 */
final class StripeObjects {

    private StripeObjects() {
    }

    /** The object as an entity of {@code collection}, in the state Stripe vouched for at {@code observedAt}. */
    static NormalizedEntity entity(StripeCollection collection, CanonicalJson.Value object, Instant observedAt) {
        String id = CanonicalJson.scalarAt(object, "/id");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a Stripe " + collection.objectType + " without an id");
        }
        return NormalizedEntity.of(id, collection.key, object, archivedAt(collection, object, observedAt),
                UnixSeconds.at(object, "created"), observedAt);
    }

    /** The items a subscription object embeds, as entities archived with it. */
    static List<NormalizedEntity> items(CanonicalJson.Value subscription, Instant observedAt) {
        List<NormalizedEntity> items = new ArrayList<>();
        Instant archivedAt = archivedAt(StripeCollection.SUBSCRIPTION, subscription, observedAt);
        for (CanonicalJson.Value item : embeddedItems(subscription)) {
            items.add(item(item, archivedAt, observedAt));
        }
        return items;
    }

    static NormalizedEntity item(CanonicalJson.Value item, Instant subscriptionArchivedAt, Instant observedAt) {
        String id = CanonicalJson.scalarAt(item, "/id");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a Stripe subscription_item without an id");
        }
        return NormalizedEntity.of(id, StripeCollection.SUBSCRIPTION_ITEM.key, item, subscriptionArchivedAt,
                UnixSeconds.at(item, "created"), observedAt);
    }

    /** The objects of a list answer ({@code {"data": [...], "has_more": …}}). */
    static List<CanonicalJson.Value> data(CanonicalJson.Value list) {
        return CanonicalJson.valueAt(list, "/data") instanceof CanonicalJson.Elements elements
                ? elements.values() : List.of();
    }

    static List<CanonicalJson.Value> embeddedItems(CanonicalJson.Value subscription) {
        return CanonicalJson.valueAt(subscription, "/items/data") instanceof CanonicalJson.Elements elements
                ? elements.values() : List.of();
    }

    static boolean moreItems(CanonicalJson.Value subscription) {
        return "true".equals(CanonicalJson.scalarAt(subscription, "/items/has_more"));
    }

    static Instant archivedAt(StripeCollection collection, CanonicalJson.Value object, Instant observedAt) {
        switch (collection) {
            case PRODUCT, PRICE -> {
                return "false".equals(CanonicalJson.scalarAt(object, "/active")) ? observedAt : null;
            }
            case SUBSCRIPTION -> {
                String status = CanonicalJson.scalarAt(object, "/status");
                if (!"canceled".equals(status) && !"incomplete_expired".equals(status)) {
                    return null;
                }
                Instant ended = UnixSeconds.at(object, "ended_at");
                Instant canceled = UnixSeconds.at(object, "canceled_at");
                return ended != null ? ended : canceled != null ? canceled : observedAt;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * Now, to the second: Stripe stamps events in whole seconds, and a change made in the same
     * second as a list read must not count as older than that read.
     */
    static Instant now(java.time.Clock clock) {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
}
