package dev.tributary.scheduler.engine;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadAheadTest {

    /** Takes pages as they come. */
    private static final ReadAhead.Pager PLAIN = (pages, waiting) -> pages.next();
    /** Longer than any test: a wait that must never run out. */
    private static final Duration LONG = Duration.ofMinutes(10);

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
        try (var pages = new ReadAhead<>("test", source, PLAIN, page -> "prepared " + page.cursor(), LONG, LONG)) {
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
        try (var pages = new ReadAhead<>("test", source, PLAIN, Page::cursor, LONG, LONG)) {
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
        try (var pages = new ReadAhead<>("test", source, PLAIN, Page::cursor, LONG, LONG)) {
            assertEquals(Optional.of("1"), pages.next());
        }
        assertEquals(0, source.closed.getCount(), "closed before close() returned");
        assertTrue(source.read.get() < 10, "read at most a page or two ahead, not " + source.read.get());
    }

    private static Page page(int n) {
        return new Page("c", List.of(), List.of(), Integer.toString(n));
    }

    /**
     * Page {@code stallAt} is read by library code that catches interrupts and carries on (as some HTTP
     * and JSON code does): it returns only once {@code release} opens, however often it is interrupted.
     */
    private static final class Stalling implements PageSource {
        private final int stallAt;
        private final AtomicInteger read = new AtomicInteger();
        private final CountDownLatch stalled = new CountDownLatch(1);
        private final CountDownLatch interrupted = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);

        Stalling(int stallAt) {
            this.stallAt = stallAt;
        }

        @Override
        public Optional<Page> next() {
            int n = read.incrementAndGet();
            if (n == stallAt) {
                stalled.countDown();
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException swallowed) {
                        interrupted.countDown();
                    }
                }
            }
            return Optional.of(page(n));
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void closingReturnsEvenWhenTheSourceSwallowedTheInterruptAndThePageHasNoTaker() throws Exception {
        var source = new Stalling(3);
        var pages = new ReadAhead<>("test", source, PLAIN, Page::cursor, LONG, LONG);
        assertEquals(Optional.of("1"), pages.next());
        // Page 2 now fills the hand-over; the reader is inside the source for page 3.
        assertTrue(source.stalled.await(10, TimeUnit.SECONDS));
        var closing = CompletableFuture.runAsync(pages::close);
        assertTrue(source.interrupted.await(10, TimeUnit.SECONDS), "close() interrupted the reader");
        source.release.countDown(); // page 3 comes back, its interrupt lost, and nobody will ever take it
        closing.get(30, TimeUnit.SECONDS);
        assertEquals(0, source.closed.getCount(), "the reader closed the source before close() returned");
    }

    @Test
    void closingWaitsForAReaderStuckInsideItsSourceOnlyABoundedTime() throws Exception {
        var source = new Stalling(2);
        var pages = new ReadAhead<>("test", source, PLAIN, Page::cursor, LONG, Duration.ofMillis(200));
        assertEquals(Optional.of("1"), pages.next());
        assertTrue(source.stalled.await(10, TimeUnit.SECONDS));
        CompletableFuture.runAsync(pages::close).get(30, TimeUnit.SECONDS);
        assertEquals(1, source.closed.getCount(), "the source is still being read");
        source.release.countDown();
        assertTrue(source.closed.await(10, TimeUnit.SECONDS), "the reader closes the source when it returns");
    }

    @Test
    void noPageWithinThePageTimeoutEndsTheWaitWithAnErrorNamingTheSetting() throws Exception {
        var source = new Stalling(2);
        try (var pages = new ReadAhead<>("test", source, PLAIN, Page::cursor, Duration.ofMillis(300),
                Duration.ofMillis(100))) {
            assertEquals(Optional.of("1"), pages.next());
            var timeout = assertThrows(ReadAhead.PageTimeout.class,
                    () -> assertTimeoutPreemptively(Duration.ofSeconds(30), pages::next));
            assertEquals("no page from the source within 300ms (tributary.engine.page-timeout)", timeout.getMessage());
            assertEquals(Optional.empty(), pages.next(), "ended");
        } finally {
            source.release.countDown();
        }
    }

    @Test
    void aWaitThePagerDeclaresIsNotAStall() throws Exception {
        var source = new Stalling(2);
        ReadAhead.Pager retryAfterAnHour = (pages, waiting) -> {
            waiting.forAtMost(Duration.ofHours(1)); // what waiting out a provider's Retry-After declares first
            return pages.next();
        };
        try (var pages = new ReadAhead<>("test", source, retryAfterAnHour, Page::cursor, Duration.ofMillis(200),
                Duration.ofMillis(100))) {
            assertEquals(Optional.of("1"), pages.next());
            var second = CompletableFuture.supplyAsync(() -> {
                try {
                    return pages.next();
                } catch (ConnectorException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> second.get(1, TimeUnit.SECONDS),
                    "still waiting, five page timeouts later");
            source.release.countDown();
            assertEquals(Optional.of("2"), second.get(30, TimeUnit.SECONDS));
        } finally {
            source.release.countDown();
        }
    }
}
