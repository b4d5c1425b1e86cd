package dev.tributary.connector.httpjson;

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
import dev.tributary.connector.json.JsonRecordNormalizer;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Any JSON REST API without code: everything about it — base URL, auth,
 * pagination, where the records are, which fields are the id and the change
 * time — is the app's settings ({@link HttpJsonSettings}). Collections too are
 * declared per app, so the catalog lists none. It is always a destination: the collections whose settings
 * declare how to write them ({@code destination}) are writable ({@link HttpJsonDestination}); an app that
 * declares none has none.
 */
@Singleton
public final class HttpJsonConnector implements Connector {

    public static final ConnectorMetadata METADATA = new ConnectorMetadata("http-json", "1", List.of(),
            new Capabilities(false, true, true, true));

    private final HttpJsonConfiguration configuration;
    private final Clock clock;
    private final HttpJsonDestination destination = new HttpJsonDestination(this);

    public HttpJsonConnector(HttpJsonConfiguration configuration, Clock clock) {
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
        HttpJsonSettings settings = HttpJsonSettings.of(app.config());
        HttpJsonApi.requireCredentials(settings.auth(), app.credentials());
        configuration.requireAllowedHost(settings.baseUrl());
        destination.fieldMappings(app);
    }

    @Override
    public List<String> collections(AppContext app) throws ConfigInvalid {
        return HttpJsonSettings.of(app.config()).collections().stream().map(HttpJsonSettings.Collection::collectionKey)
                .toList();
    }

    @Override
    public PageSource fetch(AppContext app, FetchRequest request) throws ConnectorException {
        HttpJsonApi api = api(app);
        HttpJsonSettings.Collection collection = api.settings().collection(request.collectionKey());
        URI resumeAt = null;
        if (request.cursor() != null) {
            resumeAt = URI.create(request.cursor());
            api.requireSameOrigin(resumeAt);
        }
        JsonRecordNormalizer normalizer = normalizer(api.settings(), request.collectionKey());
        return request.incremental()
                ? new HttpJsonIncrementalPages(api, normalizer, collection, request.modifiedSince(), app.syncFrom(),
                        resumeAt)
                : new HttpJsonFullPages(api, normalizer, collection, app.syncFrom(), resumeAt);
    }

    @Override
    public NormalizedEntity fetchById(AppContext app, String collectionKey, String externalId)
            throws ConnectorException {
        HttpJsonApi api = api(app);
        String body = api.getBody(api.record(api.settings().collection(collectionKey), externalId));
        var outcome = normalizer(api.settings(), collectionKey).normalize(body);
        if (outcome.entity() == null) {
            throw new ConnectorException.Rejected("record " + externalId + " does not normalize: "
                    + outcome.failure().reason());
        }
        return outcome.entity();
    }

    /** The app's API, once its settings read and its base URL allowed. */
    HttpJsonApi api(AppContext app) throws ConfigInvalid {
        HttpJsonSettings settings = HttpJsonSettings.of(app.config());
        configuration.requireAllowedHost(settings.baseUrl());
        return new HttpJsonApi(settings, app.credentials(), configuration, clock);
    }

    private JsonRecordNormalizer normalizer(HttpJsonSettings settings, String collectionKey) {
        return new JsonRecordNormalizer(collectionKey, List.of(settings.idField()), settings.updatedAtField(),
                settings.createdAtField(),
                settings.archived() == null ? null : settings.archived().field(),
                settings.archived() == null ? null : settings.archived().equals(), Set.of(), clock);
    }
}
