package dev.tributary.connector.testkit;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
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
            var limited = assertThrows(ConnectorException.RateLimited.class, source::next);
            assertTrue(limited.retriable());
            assertTrue(limited.retryAfter().compareTo(expectedWait) <= 0
                            && limited.retryAfter().compareTo(expectedWait.minusSeconds(1)) >= 0,
                    "asked to wait " + limited.retryAfter() + ", expected about " + expectedWait);
            assertEquals(expected.pages().get(0).entities(), source.next().orElseThrow().entities());
        }
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

    /** A configuration the connector cannot work with is refused as permanent, naming the field. */
    public static void assertConfigErrorIsPermanent(Connector connector, AppContext app, String field) {
        var error = assertThrows(ConnectorException.ConfigInvalid.class, () -> connector.validate(app));
        assertFalse(error.retriable());
        assertEquals(field, error.field(), error.getMessage());
    }
}
