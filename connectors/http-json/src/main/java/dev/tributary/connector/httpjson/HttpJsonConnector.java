package dev.tributary.connector.httpjson;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Capabilities;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.ConnectorMetadata;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.json.JsonRecordNormalizer;
import dev.tributary.connector.net.InternalAddresses;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Any JSON REST API without code: everything about it — base URL, auth,
 * pagination, where the records are, which fields are the id and the change
 * time — is the app's configuration ({@link HttpJsonConfig}). Collections too are
 * declared per app, so the catalog lists none.
 */
@Singleton
public final class HttpJsonConnector implements Connector {

    public static final ConnectorMetadata METADATA = new ConnectorMetadata("http-json", "1", List.of(),
            new Capabilities(false, true, true));

    private final HttpJsonNetworkPolicy policy;
    private final Clock clock;

    public HttpJsonConnector(HttpJsonNetworkPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public ConnectorMetadata metadata() {
        return METADATA;
    }

    @Override
    public void validate(AppContext app) throws ConfigInvalid {
        HttpJsonConfig config = HttpJsonConfig.parse(app.config());
        HttpJsonRequests.requireCredentials(config.auth(), app.credentials());
        requireAllowedHost(config.baseUrl());
    }

    @Override
    public List<String> collections(AppContext app) throws ConfigInvalid {
        return HttpJsonConfig.parse(app.config()).collections().stream().map(HttpJsonConfig.Collection::collectionKey)
                .toList();
    }

    @Override
    public PageSource fetch(AppContext app, FetchRequest request) throws ConnectorException {
        HttpJsonConfig config = HttpJsonConfig.parse(app.config());
        requireAllowedHost(config.baseUrl());
        var requests = new HttpJsonRequests(config, app.credentials());
        URI first;
        if (request.cursor() != null) {
            first = URI.create(request.cursor());
            requireSameOrigin(config.baseUrl(), first);
        } else {
            first = requests.firstPage(config.collection(request.collectionKey()), request.modifiedSince());
        }
        return new HttpJsonPages(config, requests, normalizer(config, request.collectionKey()),
                request.collectionKey(), first, app.syncFrom(), uri -> {
                    requireSameOrigin(config.baseUrl(), uri);
                    requireAllowedHost(uri);
                });
    }

    @Override
    public NormalizedEntity fetchById(AppContext app, String collectionKey, String externalId)
            throws ConnectorException {
        HttpJsonConfig config = HttpJsonConfig.parse(app.config());
        requireAllowedHost(config.baseUrl());
        var requests = new HttpJsonRequests(config, app.credentials());
        String body = requests.getBody(requests.record(config.collection(collectionKey), externalId));
        var outcome = normalizer(config, collectionKey).normalize(body);
        if (outcome.entity() == null) {
            throw new ConnectorException.Rejected("record " + externalId + " does not normalize: "
                    + outcome.failure().reason());
        }
        return outcome.entity();
    }

    private JsonRecordNormalizer normalizer(HttpJsonConfig config, String collectionKey) {
        return new JsonRecordNormalizer(collectionKey, List.of(config.idField()), config.updatedAtField(),
                config.createdAtField(),
                config.archived() == null ? null : config.archived().field(),
                config.archived() == null ? null : config.archived().equals(), Set.of(), clock);
    }

    private void requireAllowedHost(URI uri) throws ConfigInvalid {
        if (!policy.privateAddressesAllowed()) {
            InternalAddresses.requirePublic(uri, "base_url");
        }
    }

    private static void requireSameOrigin(URI base, URI other) throws ConfigInvalid {
        if (!base.getScheme().equals(other.getScheme()) || !base.getHost().equalsIgnoreCase(other.getHost())
                || base.getPort() != other.getPort()) {
            throw new ConfigInvalid("base_url", "the API pointed to another origin (" + other.getHost()
                    + "); only " + base.getHost() + " is followed");
        }
    }
}
