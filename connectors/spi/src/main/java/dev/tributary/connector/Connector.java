package dev.tributary.connector;

/**
 * The connector contract. A connector reads a provider and yields pages of
 * {@link NormalizedEntity}; it never touches the database, the engine writes
 * what it yields. The contract grows by methods with default implementations,
 * so existing connectors keep compiling.
 */
public interface Connector {

    ConnectorMetadata metadata();

    /**
     * Checks an app's configuration before it is saved.
     *
     * @throws ConnectorException.ConfigInvalid naming the first bad field
     */
    default void validate(AppContext app) throws ConnectorException.ConfigInvalid {
    }

    /** Every entity of the collection, or those modified since {@link FetchRequest#modifiedSince()}. */
    PageSource fetch(AppContext app, FetchRequest request) throws ConnectorException;
}
