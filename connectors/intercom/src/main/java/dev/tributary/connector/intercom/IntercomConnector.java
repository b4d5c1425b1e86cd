package dev.tributary.connector.intercom;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Capabilities;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.ConnectorMetadata;
import dev.tributary.connector.Destination;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.WebhookEvent;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.WebhookVerification;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Intercom: contacts, companies, conversations, admins and tags. Credentials:
 * {@code access_token}, and the app's {@code client_secret} to receive webhooks (with
 * {@code previous_client_secret} while a secret is rotated). A destination for contacts
 * ({@link IntercomDestination}).
 */
@Singleton
public final class IntercomConnector implements Connector {

    public static final ConnectorMetadata METADATA = new ConnectorMetadata("intercom",
            IntercomConfiguration.DEFAULT_VERSION,
            Arrays.stream(IntercomCollection.values()).map(IntercomCollection::spec).toList(),
            new Capabilities(true, true, true, true));

    private final IntercomConfiguration configuration;
    private final Clock clock;
    private final IntercomDestination destination = new IntercomDestination(this);

    public IntercomConnector(IntercomConfiguration configuration, Clock clock) {
        this.configuration = configuration;
        this.clock = clock;
    }

    @Override
    public Optional<Destination> destination() {
        return Optional.of(destination);
    }

    @Override
    public ConnectorMetadata metadata() {
        return METADATA;
    }

    @Override
    public void validate(AppContext app) throws ConfigInvalid {
        IntercomSettings.of(app);
        String token = app.credentials().get("access_token");
        if (token == null || token.isBlank()) {
            throw new ConfigInvalid("credentials.access_token", "intercom needs credentials.access_token");
        }
        destination.fieldMappings(app);
    }

    /** All collections, or the subset the app's {@code collections} setting names. */
    @Override
    public List<String> collections(AppContext app) throws ConfigInvalid {
        return IntercomSettings.of(app).collections();
    }

    @Override
    public PageSource fetch(AppContext app, FetchRequest request) throws ConnectorException {
        IntercomApi api = api(app);
        IntercomCollection collection = collection(request.collectionKey());
        return request.incremental()
                ? new IntercomIncrementalPages(api, collection, request.modifiedSince(), app.syncFrom(), request.cursor(),
                        clock)
                : new IntercomFullPages(api, collection, app.syncFrom(), request.cursor(), clock);
    }

    @Override
    public NormalizedEntity fetchById(AppContext app, String collectionKey, String externalId)
            throws ConnectorException {
        IntercomCollection collection = collection(collectionKey);
        String path = "/" + collection.resource + "/" + IntercomObjects.requireId(externalId);
        try {
            return IntercomObjects.entity(collection, api(app).get(path, Map.of()),
                    clock.instant().truncatedTo(ChronoUnit.SECONDS), null);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException.Rejected("Intercom's " + collection.type + " " + externalId
                    + " cannot be stored: " + ConnectorException.describe(e));
        }
    }

    @Override
    public WebhookVerification verifyWebhook(AppContext app, WebhookRequest request) {
        return IntercomWebhooks.verify(app.credentials().get("client_secret"),
                app.credentials().get("previous_client_secret"), request);
    }

    @Override
    public WebhookEvent parseWebhook(AppContext app, WebhookRequest request) throws ConnectorException {
        return IntercomWebhooks.parse(request);
    }

    IntercomApi api(AppContext app) throws ConfigInvalid {
        String token = app.credentials().get("access_token");
        if (token == null || token.isBlank()) {
            throw new ConfigInvalid("credentials.access_token", "intercom needs credentials.access_token");
        }
        return new IntercomApi(configuration, token, clock);
    }

    private static IntercomCollection collection(String key) throws ConfigInvalid {
        return IntercomCollection.byKey(key).orElseThrow(() -> new ConfigInvalid("collection",
                "intercom has no collection " + key));
    }
}
