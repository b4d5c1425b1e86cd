package dev.tributary.scheduler.engine;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadAheadTest {

    /** Pages "1", "2", … up to {@code count}, then (optionally) a failure; counts its closes. */
    private static final class Numbered implements PageSource {
        private final int count;
        private final ConnectorException failure;
        private final AtomicInteger read = new AtomicInteger();
        private final CountDownLatch closed = new CountDownLatch(1);

        Numbered(int count, ConnectorException failure) {
            this.count = count;
            this.failure = failure;
        }

        @Override
        public Optional<Page> next() throws ConnectorException {
            int n = read.incrementAndGet();
            if (n > count) {
                if (failure != null) {
                    throw failure;
                }
                return Optional.empty();
            }
            return Optional.of(new Page("c", List.of(), List.of(), Integer.toString(n)));
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void deliversPreparedPagesInOrderThenEndsAndClosesTheSource() throws Exception {
        var source = new Numbered(5, null);
        List<String> seen = new ArrayList<>();
        try (var pages = new ReadAhead<>("test", source, PageSource::next, page -> "prepared " + page.cursor())) {
            for (var next = pages.next(); next.isPresent(); next = pages.next()) {
                seen.add(next.get());
            }
            assertEquals(Optional.empty(), pages.next(), "stays ended");
        }
        assertEquals(List.of("prepared 1", "prepared 2", "prepared 3", "prepared 4", "prepared 5"), seen);
        assertTrue(source.closed.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aFailureArrivesAfterThePagesReadBeforeIt() throws Exception {
        var source = new Numbered(2, new ConnectorException.Transient("HTTP 503", null));
        try (var pages = new ReadAhead<>("test", source, PageSource::next, Page::cursor)) {
            assertEquals(Optional.of("1"), pages.next());
            assertEquals(Optional.of("2"), pages.next());
            var failure = assertThrows(ConnectorException.Transient.class, pages::next);
            assertEquals("HTTP 503", failure.getMessage());
        }
        assertTrue(source.closed.await(5, TimeUnit.SECONDS));
    }

    @Test
    void closingEarlyStopsTheReaderAndClosesTheSource() throws Exception {
        var source = new Numbered(1_000_000, null);
        try (var pages = new ReadAhead<>("test", source, PageSource::next, Page::cursor)) {
            assertEquals(Optional.of("1"), pages.next());
        }
        assertEquals(0, source.closed.getCount(), "closed before close() returned");
        assertTrue(source.read.get() < 10, "read at most a page or two ahead, not " + source.read.get());
    }
}
