package dev.tributary.scheduler.engine;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import org.slf4j.MDC;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Fetches and prepares the next page on a thread of its own while the caller writes
 * the current one, so the connector's work (network, parsing, hashing) and the
 * database's overlap on two cores. At most one prepared page waits; the source is
 * read, and closed, only by the reading thread. A failure there reaches the caller
 * on its next {@link #next()}, in order, after the pages read before it.
 *
 * @param <T> a prepared page
 */
final class ReadAhead<T> implements AutoCloseable {

    /** How the next page is taken from the source (e.g. waiting out rate limits): empty when there are no more. */
    interface Pager {
        Optional<Page> next(PageSource pages) throws ConnectorException;
    }

    private record Failure(Throwable cause) {
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(1);
    private final Thread reader;
    private boolean ended;

    ReadAhead(String name, PageSource pages, Pager pager, Function<Page, T> prepare) {
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
        try (pages) {
            for (Optional<Page> page = pager.next(pages); page.isPresent(); page = pager.next(pages)) {
                ready.put(prepare.apply(page.get()));
            }
            ready.put(END);
        } catch (InterruptedException e) {
            // closed by the caller: nobody is waiting for more
        } catch (Throwable e) {
            try {
                ready.put(new Failure(e));
            } catch (InterruptedException closed) {
                // closed by the caller while the failure was being handed over
            }
        }
    }

    /** The next prepared page, empty after the last; a failure of the reading thread is rethrown here. */
    @SuppressWarnings("unchecked")
    Optional<T> next() throws ConnectorException {
        if (ended) {
            return Optional.empty();
        }
        Object item;
        try {
            item = ready.take();
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
            if (failure.cause() instanceof RuntimeException e) {
                throw e;
            }
            if (failure.cause() instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(failure.cause());
        }
        return Optional.of((T) item);
    }

    /** Stops reading (interrupting a wait for the caller) and waits until the source is closed. */
    @Override
    public void close() {
        reader.interrupt();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
