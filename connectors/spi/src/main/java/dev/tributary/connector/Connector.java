package dev.tributary.connector;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** The collection keys this app syncs: the connector's own, or those its config declares. */
    default List<String> collections(AppContext app) throws ConnectorException.ConfigInvalid {
        return metadata().collections().stream().map(CollectionSpec::collectionKey).toList();
    }

    /**
     * How far back an incremental fetch can reach, when the provider keeps its changes
     * only for a while (Stripe's events: 30 days). An app whose last sync is older gets
     * a full sync instead, and the run says so.
     */
    default Optional<Duration> changeHistory() {
        return Optional.empty();
    }

    /** Every entity of the collection, or those modified since {@link FetchRequest#modifiedSince()}. */
    PageSource fetch(AppContext app, FetchRequest request) throws ConnectorException;

    /**
     * One entity by its id, for targeted syncs and record retries.
     *
     * @throws ConnectorException.NotFound when the provider no longer has it
     */
    default NormalizedEntity fetchById(AppContext app, String collectionKey, String externalId)
            throws ConnectorException {
        throw new ConnectorException.Rejected(metadata().provider() + " cannot fetch single records");
    }

    /**
     * The connector's write side, when it can also write records to its provider (itself, or a helper object);
     * present exactly when {@link Capabilities#destination()} is true.
     */
    default Optional<Destination> destination() {
        return Optional.empty();
    }

    /** Checks a webhook call's signature; connectors without webhooks reject every call. */
    default WebhookVerification verifyWebhook(AppContext app, WebhookRequest request) {
        return WebhookVerification.rejected(metadata().provider() + " does not receive webhooks");
    }

    /** Turns a verified webhook call into a normalized event. */
    default WebhookEvent parseWebhook(AppContext app, WebhookRequest request) throws ConnectorException {
        throw new ConnectorException.Rejected(metadata().provider() + " does not receive webhooks");
    }
}
