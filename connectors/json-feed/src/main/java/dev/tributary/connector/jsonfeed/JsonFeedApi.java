package dev.tributary.connector.jsonfeed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.net.RetryAfter;

import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/**
 * Where a json-feed app's document comes from: a download over the JDK's HTTP client (redirects
 * not followed, the answer mapped by {@link ConnectorException#ofHttpStatus} with the server's
 * {@code Retry-After}) or a file under an allowed directory, opened as one stream, gunzipped when
 * its first bytes say gzip — and what a failure to read it means.
 */
final class JsonFeedApi {

    private final JsonFeedSettings settings;
    private final JsonFeedConfiguration configuration;
    private final Clock clock;

    JsonFeedApi(JsonFeedSettings settings, JsonFeedConfiguration configuration, Clock clock) {
        this.settings = settings;
        this.configuration = configuration;
        this.clock = clock;
    }

    JsonFeedSettings settings() {
        return settings;
    }

    /** Refuses a feed this installation may not read: a file outside the allowed directories, a URL on a kept-out host. */
    void requireReadable() throws ConfigInvalid {
        if (settings.file() != null) {
            configuration.allowedFile(settings.file());
        } else {
            configuration.requireAllowedHost(settings.url());
        }
    }

    /** The document from its first byte, gunzipped when it is gzip. */
    InputStream open() throws ConnectorException, IOException {
        InputStream raw;
        if (settings.file() != null) {
            raw = Files.newInputStream(configuration.allowedFile(settings.file()));
        } else {
            configuration.requireAllowedHost(settings.url());
            raw = download();
        }
        var buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        boolean gzip = first == 0x1f && second == 0x8b;
        return gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
    }

    private InputStream download() throws ConnectorException {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(settings.url()).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 200 && response.statusCode() < 300) {
                return response.body();
            }
            response.body().close();
        } catch (IOException e) {
            throw new ConnectorException.Transient("the feed " + settings.source() + " could not be downloaded: "
                    + ConnectorException.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException.Transient("interrupted while downloading the feed " + settings.source(), e);
        }
        throw ConnectorException.ofHttpStatus(response.statusCode(),
                "the feed " + settings.source() + " answered " + response.statusCode(),
                () -> RetryAfter.of(response.headers(), clock));
    }

    /**
     * What a failure to read the feed {@code where} means. A document that is not UTF-8 or not JSON is
     * the source's fault and will be the same on the next attempt: {@code Rejected}, so the run fails
     * at once instead of being retried and dead-lettered. A stream that broke, or a document that ends
     * too early, may be a download cut short: {@code Transient}, worth another attempt.
     */
    ConnectorException unreadable(String where, IOException e) {
        boolean malformed = e instanceof CharacterCodingException || e instanceof CharConversionException
                || (e instanceof JsonProcessingException && !(e instanceof JsonEOFException));
        if (malformed) {
            // The JDK decoder's own message is only "Input length = 1".
            String why = e instanceof CharacterCodingException ? "it holds bytes that are not UTF-8"
                    : ConnectorException.describe(e);
            return new ConnectorException.Rejected("the feed " + settings.source() + " is not valid UTF-8 JSON " + where
                    + ": " + why);
        }
        return new ConnectorException.Transient("the feed " + settings.source() + " broke off " + where + ": "
                + ConnectorException.describe(e), e);
    }
}
