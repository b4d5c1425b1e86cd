package dev.tributary.connector;

import java.util.Optional;

/** The pages of one fetch, pulled by the engine one at a time so memory stays flat. */
public interface PageSource extends AutoCloseable {

    /** The next page, or empty when the fetch is complete. */
    Optional<Page> next() throws ConnectorException;

    @Override
    default void close() {
    }
}
