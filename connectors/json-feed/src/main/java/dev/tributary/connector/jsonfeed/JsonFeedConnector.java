package dev.tributary.connector.jsonfeed;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Capabilities;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.ConnectorMetadata;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.json.JsonRecordNormalizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * One large JSON document — e.g. a city's daily feed of 237,000 building permits,
 * ~220 MB — read from a URL or an allow-listed file as a stream and handed to
 * the engine in batches, so memory stays flat whatever the size. A feed has no
 * "changed since" query: every sync reads it whole and the engine's change
 * detection tells new, updated and unchanged apart.
 */
@Singleton
public final class JsonFeedConnector implements Connector {

    public static final ConnectorMetadata METADATA = new ConnectorMetadata("json-feed", "1", List.of(),
            new Capabilities(false, false, false, false));

    private final JsonFeedConfiguration configuration;
    private final Clock clock;

    public JsonFeedConnector(JsonFeedConfiguration configuration, Clock clock) {
        this.configuration = configuration;
        this.clock = clock;
    }

    @Override
    public ConnectorMetadata metadata() {
        return METADATA;
    }

    @Override
    public void validate(AppContext app) throws ConfigInvalid {
        api(app).requireReadable();
    }

    @Override
    public List<String> collections(AppContext app) throws ConfigInvalid {
        return List.of(JsonFeedSettings.of(app.config()).collectionKey());
    }

    /** The whole feed, whatever the request says about changes: a feed cannot be asked what changed. */
    @Override
    public PageSource fetch(AppContext app, FetchRequest request) throws ConnectorException {
        JsonFeedApi api = api(app);
        JsonFeedSettings settings = api.settings();
        if (!settings.collectionKey().equals(request.collectionKey())) {
            throw new ConfigInvalid("collection_key", "this feed fills collection " + settings.collectionKey());
        }
        long skip = request.cursor() == null ? 0 : Long.parseLong(request.cursor());
        var normalizer = new JsonRecordNormalizer(settings.collectionKey(), settings.idPointers(),
                settings.updatedAtPointer(), settings.createdAtPointer(), settings.archivedPointer(),
                settings.archivedValue(), Set.copyOf(settings.ignoreFields()), clock);
        try {
            return new JsonFeedFullPages(api.open(), api, normalizer, skip, app.syncFrom());
        } catch (IOException e) {
            throw api.unreadable(skip == 0 ? "at its start" : "within the " + skip + " records read before", e);
        }
    }

    private JsonFeedApi api(AppContext app) throws ConfigInvalid {
        return new JsonFeedApi(JsonFeedSettings.of(app.config()), configuration, clock);
    }
}
