package dev.tributary.connector.httpjson;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.httpjson.HttpJsonSettings.Auth;
import dev.tributary.connector.net.RetryAfter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An http-json app's API, over the JDK's HTTP client: page URLs, authentication (kept
 * out of the URLs, which become stored cursors), timeouts, where requests may go (the
 * base URL's origin, on addresses the operator allows; redirects are not followed), and
 * answers turned into the connector error family ({@link ConnectorException#ofHttpStatus},
 * with the server's {@code Retry-After}; I/O trouble is transient).
 */
final class HttpJsonApi {

    private final HttpJsonSettings settings;
    private final Map<String, String> credentials;
    private final HttpJsonConfiguration configuration;
    private final Clock clock;
    private final HttpClient client;

    HttpJsonApi(HttpJsonSettings settings, Map<String, String> credentials, HttpJsonConfiguration configuration,
                Clock clock) {
        this.settings = settings;
        this.credentials = credentials;
        this.configuration = configuration;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    HttpJsonSettings settings() {
        return settings;
    }

    static void requireCredentials(Auth auth, Map<String, String> credentials) throws ConfigInvalid {
        switch (auth.type()) {
            case NONE -> { }
            case BEARER -> requireCredential(credentials, "token");
            case BASIC -> {
                requireCredential(credentials, "username");
                requireCredential(credentials, "password");
            }
            case API_KEY_HEADER, API_KEY_QUERY -> requireCredential(credentials, "api_key");
        }
    }

    private static void requireCredential(Map<String, String> credentials, String name) throws ConfigInvalid {
        String value = credentials.get(name);
        if (value == null || value.isEmpty()) {
            throw new ConfigInvalid("credentials." + name, "credentials." + name + " is required for this auth type");
        }
    }

    /** The first page of a collection's list: page size, and the first offset or page number where the style has one. */
    URI firstPage(HttpJsonSettings.Collection collection) {
        var pagination = settings.pagination();
        Map<String, String> query = new LinkedHashMap<>();
        query.put(pagination.sizeParam(), Integer.toString(pagination.pageSize()));
        switch (pagination.style()) {
            case OFFSET -> query.put(pagination.offsetParam(), "0");
            case PAGE_NUMBER, LINK_HEADER -> query.put(pagination.offsetParam(), "1");
            case CURSOR, NEXT_URL -> { }
        }
        return withQuery(settings.baseUrl().resolve(collection.path()), query);
    }

    /** Where a write goes: its path under the base URL, {@code {target_id}} replaced by the encoded id (an update's). */
    URI writeTarget(HttpJsonSettings.WriteRequest request, String targetId) {
        String path = targetId == null ? request.path() : request.path().replace(HttpJsonSettings.TARGET_ID,
                URLEncoder.encode(targetId, StandardCharsets.UTF_8).replace("+", "%20"));
        return settings.baseUrl().resolve(path);
    }

    URI record(HttpJsonSettings.Collection collection, String externalId) {
        String path = collection.path().endsWith("/") ? collection.path() : collection.path() + "/";
        return settings.baseUrl().resolve(path + URLEncoder.encode(externalId, StandardCharsets.UTF_8));
    }

    /** Refuses a URL (a stored cursor) off the base URL's origin. */
    void requireSameOrigin(URI other) throws ConfigInvalid {
        URI base = settings.baseUrl();
        if (!base.getScheme().equals(other.getScheme()) || !base.getHost().equalsIgnoreCase(other.getHost())
                || base.getPort() != other.getPort()) {
            throw new ConfigInvalid("base_url", "the API pointed to another origin (" + other.getHost()
                    + "); only " + base.getHost() + " is followed");
        }
    }

    /** Refuses a next-page URL the API handed back that goes off the base URL's origin, or to a kept-out address. */
    void requireFollowable(URI next) throws ConfigInvalid {
        requireSameOrigin(next);
        configuration.requireAllowedHost(next);
    }

    /** Sends a GET and returns the body of the 2xx answer; anything else becomes the matching connector error. */
    String getBody(URI uri) throws ConnectorException {
        return read(open(uri), uri);
    }

    /** Sends a GET and returns the 2xx answer with its body still to be streamed. */
    HttpResponse<InputStream> open(URI uri) throws ConnectorException {
        return exchange(request(uri).GET().build(), uri, describe(uri));
    }

    /**
     * Sends a record's JSON {@code body} with {@code method} (a destination's create or update) and returns the
     * body of the 2xx answer. The refusal of any other answer quotes the start of the API's answer, which
     * usually says what it did not accept.
     */
    String write(HttpJsonSettings.WriteMethod method, URI uri, String body) throws ConnectorException {
        HttpRequest request = request(uri).header("Content-Type", "application/json")
                .method(method.name(), HttpRequest.BodyPublishers.ofString(body)).build();
        return read(exchange(request, uri, method + " " + describe(uri)), uri);
    }

    /** A request to {@code uri} with the app's authentication, the read timeout, asking for JSON. */
    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(authenticated(uri)).timeout(settings.readTimeout())
                .header("Accept", "application/json");
        switch (settings.auth().type()) {
            case BEARER -> request.header("Authorization", "Bearer " + credentials.get("token"));
            case BASIC -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (credentials.get("username") + ":" + credentials.get("password")).getBytes(StandardCharsets.UTF_8)));
            case API_KEY_HEADER -> request.header(settings.auth().name(), credentials.get("api_key"));
            case NONE, API_KEY_QUERY -> { }
        }
        return request;
    }

    /**
     * Sends a request and returns its 2xx answer, body unread; anything else becomes the matching connector error.
     *
     * @param call what the request is, for messages: the URL without its query, with the method of a write
     */
    private HttpResponse<InputStream> exchange(HttpRequest request, URI uri, String call) throws ConnectorException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ConnectorException.Transient(call + " timed out", e);
        } catch (IOException e) {
            throw new ConnectorException.Transient(call + " failed: " + ConnectorException.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException.Transient("interrupted while calling " + describe(uri), e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String answer = request.method().equals("GET") ? "" : answerStart(response);
        close(response);
        throw ConnectorException.ofHttpStatus(status, call + " answered " + status + answer,
                () -> RetryAfter.of(response.headers(), clock));
    }

    /** The first characters of a refused write's answer, for its error: {@code ": {"error": …}"}, or nothing. */
    private static String answerStart(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            String text = new String(body.readNBytes(ANSWER_QUOTED), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException e) {
            return "";
        }
    }

    private static final int ANSWER_QUOTED = 300;

    private static String read(HttpResponse<InputStream> response, URI uri) throws ConnectorException {
        try (InputStream body = response.body()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConnectorException.Transient("reading " + describe(uri) + " failed: "
                    + ConnectorException.describe(e), e);
        }
    }

    static URI withQuery(URI uri, Map<String, String> replacements) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        replacements.forEach((k, v) -> query.put(URLEncoder.encode(k, StandardCharsets.UTF_8),
                URLEncoder.encode(v, StandardCharsets.UTF_8)));
        StringBuilder raw = new StringBuilder();
        query.forEach((k, v) -> raw.append(raw.isEmpty() ? "" : "&").append(k).append('=').append(v));
        String base = uri.toString();
        int q = base.indexOf('?');
        return URI.create((q < 0 ? base : base.substring(0, q)) + (raw.isEmpty() ? "" : "?" + raw));
    }

    private URI authenticated(URI uri) {
        return settings.auth().type() == HttpJsonSettings.AuthType.API_KEY_QUERY
                ? withQuery(uri, Map.of(settings.auth().name(), credentials.get("api_key"))) : uri;
    }

    /** The URL without its query, for error messages: queries may carry secrets. */
    private static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // Nothing to do: the answer is refused anyway.
        }
    }
}
