package dev.tributary.connector.jsonfeed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.tributary.connector.AppContext;
import dev.tributary.connector.Capabilities;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.ConnectorMetadata;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.json.JsonRecordNormalizer;
import dev.tributary.connector.net.InternalAddresses;
import jakarta.inject.Singleton;

import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

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
            new Capabilities(false, false, false));

    private final JsonFeedPolicy policy;
    private final Clock clock;

    public JsonFeedConnector(JsonFeedPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public ConnectorMetadata metadata() {
        return METADATA;
    }

    @Override
    public void validate(AppContext app) throws ConfigInvalid {
        JsonFeedConfig config = JsonFeedConfig.parse(app.config());
        if (config.file() != null) {
            allowedFile(config.file());
        } else {
            requirePublicHost(config);
        }
    }

    @Override
    public List<String> collections(AppContext app) throws ConfigInvalid {
        return List.of(JsonFeedConfig.parse(app.config()).collectionKey());
    }

    @Override
    public PageSource fetch(AppContext app, FetchRequest request) throws ConnectorException {
        JsonFeedConfig config = JsonFeedConfig.parse(app.config());
        if (!config.collectionKey().equals(request.collectionKey())) {
            throw new ConfigInvalid("collection_key", "this feed fills collection " + config.collectionKey());
        }
        long skip = request.cursor() == null ? 0 : Long.parseLong(request.cursor());
        var normalizer = new JsonRecordNormalizer(config.collectionKey(), config.idPointers(),
                config.updatedAtPointer(), config.createdAtPointer(), config.archivedPointer(), config.archivedValue(),
                Set.copyOf(config.ignoreFields()), clock);
        try {
            return new JsonFeedPages(open(config), config, normalizer, skip, app.syncFrom());
        } catch (IOException e) {
            throw unreadable(config, skip == 0 ? "at its start" : "within the " + skip + " records read before", e);
        }
    }

    /**
     * What a failure to read the feed {@code where} means. A document that is not UTF-8 or not JSON is
     * the source's fault and will be the same on the next attempt: {@code Rejected}, so the run fails
     * at once instead of being retried and dead-lettered. A stream that broke, or a document that ends
     * too early, may be a download cut short: {@code Transient}, worth another attempt.
     */
    static ConnectorException unreadable(JsonFeedConfig config, String where, IOException e) {
        boolean malformed = e instanceof CharacterCodingException || e instanceof CharConversionException
                || (e instanceof JsonProcessingException && !(e instanceof JsonEOFException));
        if (malformed) {
            // The JDK decoder's own message is only "Input length = 1".
            String why = e instanceof CharacterCodingException ? "it holds bytes that are not UTF-8"
                    : ConnectorException.describe(e);
            return new ConnectorException.Rejected("the feed " + source(config) + " is not valid UTF-8 JSON " + where
                    + ": " + why);
        }
        return new ConnectorException.Transient("the feed " + source(config) + " broke off " + where + ": "
                + ConnectorException.describe(e), e);
    }

    /**
     * Where the feed comes from, for messages: the file, or the URL's scheme, host, port and path (its
     * query and user info may carry a secret).
     */
    static String source(JsonFeedConfig config) {
        if (config.file() != null) {
            return config.file().toString();
        }
        URI url = config.url();
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    private InputStream open(JsonFeedConfig config) throws ConnectorException, IOException {
        InputStream raw;
        if (config.file() != null) {
            raw = Files.newInputStream(allowedFile(config.file()));
        } else {
            requirePublicHost(config);
            raw = download(config);
        }
        var buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        boolean gzip = first == 0x1f && second == 0x8b;
        return gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
    }

    private static InputStream download(JsonFeedConfig config) throws ConnectorException {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(config.url()).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response.body();
            }
            response.body().close();
            String what = "the feed " + source(config) + " answered " + status;
            if (status == 429) {
                throw new ConnectorException.RateLimited(what, Duration.ofSeconds(response.headers()
                        .firstValue("Retry-After").map(JsonFeedConnector::seconds).orElse(60L)));
            }
            if (status >= 500) {
                throw new ConnectorException.Transient(what, null);
            }
            if (status == 401 || status == 403) {
                throw new ConnectorException.AuthRevoked(what);
            }
            throw status == 404 ? new ConnectorException.NotFound(what) : new ConnectorException.Rejected(what);
        } catch (IOException e) {
            throw new ConnectorException.Transient("the feed " + source(config) + " could not be downloaded: "
                    + ConnectorException.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException.Transient("interrupted while downloading the feed " + source(config), e);
        }
    }

    private static long seconds(String header) {
        try {
            return Math.max(0, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return 60;
        }
    }

    /** The file, resolved (links included), if it lies under an allowed directory. */
    private Path allowedFile(Path file) throws ConfigInvalid {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new ConfigInvalid("file", "file " + file + " does not exist or cannot be read");
        }
        for (Path directory : policy.directories()) {
            try {
                if (real.startsWith(directory.toRealPath())) {
                    return real;
                }
            } catch (IOException ignored) {
                // A configured directory that does not exist allows nothing.
            }
        }
        throw new ConfigInvalid("file", "file must lie under a directory the operator allows"
                + " (tributary.connectors.json-feed.allowed-directories)");
    }

    private void requirePublicHost(JsonFeedConfig config) throws ConfigInvalid {
        if (!policy.privateAddressesAllowed()) {
            InternalAddresses.requirePublic(config.url(), "url");
        }
    }
}
