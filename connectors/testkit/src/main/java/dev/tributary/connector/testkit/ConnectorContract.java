package dev.tributary.connector.testkit;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Destination;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.WebhookRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks every connector passes against its fake server. Each is a small
 * static method; a connector's test calls the ones that apply, with its own app
 * and server — nothing to inherit.
 */
public final class ConnectorContract {

    /** Everything one fetch yielded. */
    public record Fetched(List<Page> pages, List<NormalizedEntity> entities, List<Page.RecordFailure> failures) {
        public List<String> ids() {
            return entities.stream().map(NormalizedEntity::externalId).toList();
        }
    }

    private ConnectorContract() {
    }

    /** Pulls every page of a fetch. */
    public static Fetched fetchAll(Connector connector, AppContext app, FetchRequest request) throws ConnectorException {
        List<Page> pages = new ArrayList<>();
        try (PageSource source = connector.fetch(app, request)) {
            for (Optional<Page> page = source.next(); page.isPresent(); page = source.next()) {
                pages.add(page.get());
            }
        }
        return new Fetched(pages, pages.stream().flatMap(p -> p.entities().stream()).toList(),
                pages.stream().flatMap(p -> p.failures().stream()).toList());
    }

    /** A full fetch walks every page and yields each expected record exactly once; every page but the last has a cursor. */
    public static Fetched assertFullPaging(Connector connector, AppContext app, String collectionKey,
                                           Collection<String> expectedIds, int minimumPages) throws ConnectorException {
        Fetched fetched = fetchAll(connector, app, FetchRequest.full(collectionKey));
        assertEquals(new HashSet<>(expectedIds), new HashSet<>(fetched.ids()));
        assertEquals(expectedIds.size(), fetched.ids().size(), "a record came twice: " + fetched.ids());
        assertTrue(fetched.pages().size() >= minimumPages, "only " + fetched.pages().size() + " pages");
        fetched.pages().subList(0, fetched.pages().size() - 1)
                .forEach(page -> assertTrue(page.cursor() != null, "a page before the last has no cursor"));
        fetched.entities().forEach(e -> assertEquals(collectionKey, e.collectionKey()));
        return fetched;
    }

    /** An incremental fetch since {@code since} yields exactly the records changed since then. */
    public static void assertIncremental(Connector connector, AppContext app, String collectionKey, Instant since,
                                         Collection<String> changedIds) throws ConnectorException {
        Fetched fetched = fetchAll(connector, app, new FetchRequest(collectionKey, since, null));
        assertEquals(new HashSet<>(changedIds), new HashSet<>(fetched.ids()));
    }

    /** A fetch resumed from a page's cursor yields the rest, not the beginning again. */
    public static void assertResumesFromCursor(Connector connector, AppContext app, String collectionKey)
            throws ConnectorException {
        Fetched all = fetchAll(connector, app, FetchRequest.full(collectionKey));
        Page first = all.pages().get(0);
        Fetched rest = fetchAll(connector, app, new FetchRequest(collectionKey, null, first.cursor()));
        List<String> resumed = new ArrayList<>(first.entities().stream().map(NormalizedEntity::externalId).toList());
        resumed.addAll(rest.ids());
        assertEquals(all.ids(), resumed);
    }

    /**
     * A 429 surfaces as retriable RateLimited asking to wait about {@code expectedWait} (within a
     * second below it: a provider may say when the limit resets rather than how long to wait);
     * asking again gets the same page.
     */
    public static void assertRateLimitBackoff(Connector connector, AppContext app, String collectionKey,
                                              FailureInjection server, Duration expectedWait)
            throws ConnectorException {
        Fetched expected = fetchAll(connector, app, FetchRequest.full(collectionKey));
        try (PageSource source = connector.fetch(app, FetchRequest.full(collectionKey))) {
            server.rateLimitNext(1, (int) expectedWait.toSeconds());
            assertWaitsAbout(assertThrows(ConnectorException.RateLimited.class, source::next), expectedWait);
            assertEquals(expected.pages().get(0).entities(), source.next().orElseThrow().entities());
        }
    }

    private static void assertWaitsAbout(ConnectorException.RateLimited limited, Duration expectedWait) {
        assertTrue(limited.retriable());
        assertTrue(limited.retryAfter().compareTo(expectedWait) <= 0
                        && limited.retryAfter().compareTo(expectedWait.minusSeconds(1)) >= 0,
                "asked to wait " + limited.retryAfter() + ", expected about " + expectedWait);
    }

    /** A 5xx surfaces as a retriable Transient error, and the page can be asked for again. */
    public static void assertTransientOn5xx(Connector connector, AppContext app, String collectionKey,
                                            FailureInjection server) throws ConnectorException {
        try (PageSource source = connector.fetch(app, FetchRequest.full(collectionKey))) {
            server.failNext(1, 503);
            var failure = assertThrows(ConnectorException.Transient.class, source::next);
            assertTrue(failure.retriable());
            assertFalse(source.next().orElseThrow().entities().isEmpty());
        }
    }

    /**
     * A connector without webhooks refuses every call, however malformed, with a reason — and a body
     * it is handed anyway is {@link ConnectorException.Rejected} — never an exception of another kind.
     */
    public static void assertReceivesNoWebhooks(Connector connector, AppContext app) {
        for (var request : List.of(new WebhookRequest(Map.of(), new byte[0]),
                new WebhookRequest(Map.of("x-signature", List.of("t=,v1=", "sha1=zz")), "{\"id\": 1}".getBytes()),
                new WebhookRequest(Map.of(), new byte[] {(byte) 0xff, 0, '[', '{'}))) {
            var verification = connector.verifyWebhook(app, request);
            assertFalse(verification.valid());
            assertFalse(verification.reason().isBlank());
            assertThrows(ConnectorException.Rejected.class, () -> connector.parseWebhook(app, request));
        }
    }

    /** The connector declares the destination capability exactly when it has a write side. */
    public static void assertDestinationDeclared(Connector connector) {
        assertEquals(connector.metadata().capabilities().destination(), connector.destination().isPresent(),
                connector.metadata().provider() + "'s destination capability and destination() disagree");
    }

    /**
     * A destination's round trip: {@code collection} is writable; create gives the provider's id, and the provider
     * then holds every field of {@code createBody}; update of that id makes it hold every field of
     * {@code updateBody}; an update of {@code unknownId} is {@link ConnectorException.NotFound}.
     *
     * @param stored what the provider (the fake) holds for an id, or null when it has nothing
     * @return the created record's target id
     */
    public static String assertCreatesAndUpdates(Destination destination, AppContext app, String collection,
                                                 String createBody, String updateBody, String unknownId,
                                                 Function<String, Map<String, Object>> stored)
            throws ConnectorException {
        assertTrue(destination.writableCollections(app).contains(collection), collection + " is not writable");
        String id = destination.create(app, collection, createBody);
        assertFalse(id == null || id.isEmpty(), "create gave no id");
        assertHolds(stored.apply(id), createBody);
        destination.update(app, collection, id, updateBody);
        assertHolds(stored.apply(id), updateBody);
        var missing = assertThrows(ConnectorException.NotFound.class,
                () -> destination.update(app, collection, unknownId, updateBody));
        assertFalse(missing.retriable());
        return id;
    }

    private static void assertHolds(Map<String, Object> stored, String body) {
        assertTrue(stored != null, "the provider holds nothing under the id it gave");
        try {
            ((Map<?, ?>) Json.read(body)).forEach((field, value) -> assertEquals(value, stored.get(field),
                    "the provider's " + field));
        } catch (java.io.IOException e) {
            throw new AssertionError("the body is not JSON: " + body, e);
        }
    }

    /**
     * A destination's errors are the reads' family: a 429 is RateLimited asking to wait about {@code expectedWait},
     * a 5xx is Transient — both retriable, on create and on update — and credentials the provider refuses are
     * AuthRevoked.
     *
     * @param revoked the app with credentials the provider refuses
     * @param targetId a record the provider has, to update
     */
    public static void assertWriteErrors(Destination destination, AppContext app, AppContext revoked, String collection,
                                         String body, String targetId, FailureInjection server, Duration expectedWait) {
        server.rateLimitNext(1, (int) expectedWait.toSeconds());
        assertWaitsAbout(assertThrows(ConnectorException.RateLimited.class,
                () -> destination.create(app, collection, body)), expectedWait);
        server.rateLimitNext(1, (int) expectedWait.toSeconds());
        assertWaitsAbout(assertThrows(ConnectorException.RateLimited.class,
                () -> destination.update(app, collection, targetId, body)), expectedWait);
        server.failNext(1, 503);
        assertTrue(assertThrows(ConnectorException.Transient.class,
                () -> destination.create(app, collection, body)).retriable());
        server.failNext(1, 500);
        assertTrue(assertThrows(ConnectorException.Transient.class,
                () -> destination.update(app, collection, targetId, body)).retriable());
        assertFalse(assertThrows(ConnectorException.AuthRevoked.class,
                () -> destination.create(revoked, collection, body)).retriable());
        assertThrows(ConnectorException.AuthRevoked.class,
                () -> destination.update(revoked, collection, targetId, body));
    }

    /** A configuration the connector cannot work with is refused as permanent, naming the field. */
    public static void assertConfigErrorIsPermanent(Connector connector, AppContext app, String field) {
        var error = assertThrows(ConnectorException.ConfigInvalid.class, () -> connector.validate(app));
        assertFalse(error.retriable());
        assertEquals(field, error.field(), error.getMessage());
    }
}
