package dev.tributary.scheduler.engine;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Fetches and prepares the next page on a thread of its own while the caller writes
 * the current one, so the connector's work (network, parsing, hashing) and the
 * database's overlap on two cores. At most one prepared page waits; the source is
 * read, and closed, only by the reading thread. A failure there reaches the caller
 * on its next {@link #next()}, in order, after the pages read before it.
 *
 * <p>Nothing here relies on an interrupt reaching the reading thread: library code
 * inside a source may swallow it. The hand-over gives up as soon as the caller has
 * closed, whatever the thread's interrupt status; {@link #close()} waits for the
 * reader a bounded time only; and the caller waits for a page at most
 * {@code pageTimeout} (plus the waits the pager declares, such as a provider's
 * Retry-After), then gets a {@link PageTimeout}. These waits are elapsed time, so they are
 * measured on the monotonic clock ({@link System#nanoTime()}), which no change of the wall
 * clock (and no test's fixed {@code Clock}) stretches or cuts short.
 *
 * @param <T> a prepared page
 */
final class ReadAhead<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);

    /** How often a hand-over that finds the caller busy looks again whether it has closed. */
    private static final long HAND_OVER_CHECK_MILLIS = 100;

    /**
     * How the next page is taken from the source (e.g. waiting out rate limits): empty when there are
     * no more. A deliberate wait is declared through {@code waiting} first, so the watchdog allows for it.
     */
    interface Pager {
        Optional<Page> next(PageSource pages, Waiting waiting) throws ConnectorException;
    }

    /** What the pager tells the watchdog before it waits on purpose. */
    interface Waiting {
        void forAtMost(Duration wait);
    }

    /** No page came within the page timeout: the source stalled. */
    static final class PageTimeout extends RuntimeException {
        PageTimeout(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The reading thread failed with something other than a {@link ConnectorException}: an internal
     * error of the source or of preparing its pages (its cause), never one of the database, which
     * that thread does not touch.
     */
    static final class SourceFailure extends RuntimeException {
        SourceFailure(Throwable cause) {
            super(ConnectorException.describe(cause), cause);
        }
    }

    private record Failure(Throwable cause) {
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(1);
    private final Thread reader;
    private final Duration pageTimeout;
    private final Duration closeWait;
    private volatile boolean closed;
    /** The monotonic time (System.nanoTime()) until which the pager said it would be waiting on purpose. */
    private volatile long waitingUntil = System.nanoTime();
    private boolean ended;

    /**
     * @param pageTimeout how long {@link #next()} waits for a page beyond the pager's declared waits
     * @param closeWait   how long {@link #close()} waits for the reading thread to leave the source
     */
    ReadAhead(String name, PageSource pages, Pager pager, Function<Page, T> prepare, Duration pageTimeout,
              Duration closeWait) {
        this.pageTimeout = pageTimeout;
        this.closeWait = closeWait;
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        reader = new Thread(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            read(pages, pager, prepare);
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(PageSource pages, Pager pager, Function<Page, T> prepare) {
        Waiting waiting = wait -> {
            long until = System.nanoTime() + wait.toNanos();
            if (until - waitingUntil > 0) {
                waitingUntil = until;
            }
        };
        try (pages) {
            for (Optional<Page> page = pager.next(pages, waiting); page.isPresent() && !closed;
                 page = pager.next(pages, waiting)) {
                if (!handOver(prepare.apply(page.get()))) {
                    return;
                }
            }
            handOver(END);
        } catch (Throwable e) {
            handOver(new Failure(e));
        }
    }

    /** Hands an item to the caller; false, at once, when the caller has closed (nobody will take it). */
    private boolean handOver(Object item) {
        while (!closed) {
            try {
                if (ready.offer(item, HAND_OVER_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                // close() interrupts to cut waits short; whether to stop is the closed flag's to say.
            }
        }
        return false;
    }

    /**
     * The next prepared page, empty after the last; a failure of the reading thread is rethrown here
     * (a {@link ConnectorException} or an {@link Error} as it is, anything else as a {@link SourceFailure}).
     *
     * @throws PageTimeout when no page came within the page timeout
     */
    @SuppressWarnings("unchecked")
    Optional<T> next() throws ConnectorException {
        if (ended) {
            return Optional.empty();
        }
        long asked = System.nanoTime();
        Object item;
        try {
            while ((item = ready.poll(untilDeadline(asked), TimeUnit.NANOSECONDS)) == null) {
                if (untilDeadline(asked) <= 0) {
                    ended = true;
                    throw new PageTimeout("no page from the source within " + ErrorMessages.duration(pageTimeout)
                            + " (tributary.engine.page-timeout)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next page", e);
        }
        if (item == END) {
            ended = true;
            return Optional.empty();
        }
        if (item instanceof Failure failure) {
            ended = true;
            if (failure.cause() instanceof ConnectorException e) {
                throw e;
            }
            if (failure.cause() instanceof Error e) {
                throw e;
            }
            throw new SourceFailure(failure.cause());
        }
        return Optional.of((T) item);
    }

    /** Nanoseconds left before a wait that began at {@code asked} times out. */
    private long untilDeadline(long asked) {
        long from = waitingUntil - asked > 0 ? waitingUntil : asked;
        return from + pageTimeout.toNanos() - System.nanoTime();
    }

    /**
     * Stops reading: the hand-over gives up, the reading thread is interrupted (which cuts short the
     * waits of sources that honour it) and waited for up to {@code closeWait}. A reader still inside
     * its source after that is left to finish on its own; it closes the source when the source returns.
     */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        try {
            reader.join(closeWait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reader.isAlive()) {
            LOG.warn("Reader {} is still inside its source {} after the sync stopped reading; it closes the source"
                    + " when that returns", reader.getName(), ErrorMessages.duration(closeWait));
        }
    }
}
