package dev.tributary.connector.intercom;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.json.CanonicalJson;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The walk both Intercom fetches make, answer after answer: each answer's records as entities (an object
 * without an id, or with a time that cannot be stored, as that record's failure), those the fetch keeps,
 * and the cursor of the next page — the {@code starting_after} of a cursor listing or search, or the
 * next page's number — so an interrupted fetch resumes there; admins and tags come whole, in one answer.
 * It only moves on after a page succeeded. {@link IntercomFullPages} and {@link IntercomIncrementalPages}
 * say what is asked and what is kept.
 */
final class IntercomPageWalk {

    /** Asks Intercom for the page at {@code cursor} (null: the first). */
    interface Request {
        CanonicalJson.Value page(String cursor) throws ConnectorException;
    }

    private final IntercomCollection collection;
    private final Request request;
    private final Predicate<NormalizedEntity> keeps;
    private final Clock clock;
    private String cursor;
    private boolean done;

    IntercomPageWalk(IntercomCollection collection, Request request, Predicate<NormalizedEntity> keeps,
                     String cursor, Clock clock) {
        this.collection = collection;
        this.request = request;
        this.keeps = keeps;
        this.cursor = cursor;
        this.clock = clock;
    }

    /** The next page, or empty after the last. */
    Optional<Page> next() throws ConnectorException {
        if (done) {
            return Optional.empty();
        }
        CanonicalJson.Value answer = request.page(cursor);
        Instant observedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<NormalizedEntity> entities = new ArrayList<>();
        List<Page.RecordFailure> failures = new ArrayList<>();
        List<CanonicalJson.Value> records = CanonicalJson.valueAt(answer, collection.recordsPointer)
                instanceof CanonicalJson.Elements elements ? elements.values() : List.of();
        for (CanonicalJson.Value record : records) {
            try {
                NormalizedEntity entity = IntercomObjects.entity(collection, record, observedAt, null);
                if (keeps.test(entity)) {
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

    /** Where the next page starts, or null after the last. */
    private String following(CanonicalJson.Value answer, boolean empty) {
        return switch (collection.listing) {
            case CURSOR -> empty ? null : CanonicalJson.scalarAt(answer, "/pages/next/starting_after");
            case PAGE_NUMBER -> empty ? null : CanonicalJson.scalarAt(answer, "/pages/next");
            case WHOLE -> null;
        };
    }
}
