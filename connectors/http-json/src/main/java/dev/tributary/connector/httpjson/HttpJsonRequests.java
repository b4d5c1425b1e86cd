package dev.tributary.connector.httpjson;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.httpjson.HttpJsonConfig.Auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds and sends an http-json app's requests: page URLs, authentication (kept
 * out of the URLs, which become stored cursors), timeouts, and the mapping of
 * answers onto the connector error family: 429 → rate limited with
 * {@code Retry-After}, 5xx and I/O trouble → transient, 401/403 → auth revoked,
 * 404 → not found, other 4xx → rejected.
 */
final class HttpJsonRequests {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    private final HttpJsonConfig config;
    private final Map<String, String> credentials;
    private final HttpClient client;

    HttpJsonRequests(HttpJsonConfig config, Map<String, String> credentials) {
        this.config = config;
        this.credentials = credentials;
        this.client = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
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

    URI firstPage(HttpJsonConfig.Collection collection, Instant modifiedSince) {
        var pagination = config.pagination();
        Map<String, String> query = new LinkedHashMap<>();
        query.put(pagination.sizeParam(), Integer.toString(pagination.pageSize()));
        switch (pagination.style()) {
            case OFFSET -> query.put(pagination.offsetParam(), "0");
            case PAGE_NUMBER, LINK_HEADER -> query.put(pagination.offsetParam(), "1");
            case CURSOR, NEXT_URL -> { }
        }
        if (modifiedSince != null && config.incrementalParam() != null) {
            query.put(config.incrementalParam(), modifiedSince.toString());
        }
        return withQuery(config.baseUrl().resolve(collection.path()), query);
    }

    URI record(HttpJsonConfig.Collection collection, String externalId) {
        String path = collection.path().endsWith("/") ? collection.path() : collection.path() + "/";
        return config.baseUrl().resolve(path + URLEncoder.encode(externalId, StandardCharsets.UTF_8));
    }

    /** Sends a GET and returns the body of the 2xx answer; anything else becomes the matching connector error. */
    String getBody(URI uri) throws ConnectorException {
        HttpResponse<InputStream> response = open(uri);
        try (InputStream body = response.body()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConnectorException.Transient("reading " + describe(uri) + " failed: "
                    + ConnectorException.describe(e), e);
        }
    }

    /** Sends a GET and returns the 2xx answer with its body still to be streamed. */
    HttpResponse<InputStream> open(URI uri) throws ConnectorException {
        HttpRequest.Builder request = HttpRequest.newBuilder(authenticated(uri)).timeout(config.readTimeout())
                .header("Accept", "application/json");
        switch (config.auth().type()) {
            case BEARER -> request.header("Authorization", "Bearer " + credentials.get("token"));
            case BASIC -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (credentials.get("username") + ":" + credentials.get("password")).getBytes(StandardCharsets.UTF_8)));
            case API_KEY_HEADER -> request.header(config.auth().name(), credentials.get("api_key"));
            case NONE, API_KEY_QUERY -> { }
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ConnectorException.Transient(describe(uri) + " timed out", e);
        } catch (IOException e) {
            throw new ConnectorException.Transient(describe(uri) + " failed: " + ConnectorException.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException.Transient("interrupted while calling " + describe(uri), e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        close(response);
        String what = describe(uri) + " answered " + status;
        if (status == 429) {
            throw new ConnectorException.RateLimited(what,
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        }
        if (status >= 500) {
            throw new ConnectorException.Transient(what, null);
        }
        if (status == 401 || status == 403) {
            throw new ConnectorException.AuthRevoked(what);
        }
        if (status == 404) {
            throw new ConnectorException.NotFound(what);
        }
        throw new ConnectorException.Rejected(what);
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return DEFAULT_RETRY_AFTER;
            }
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
        return config.auth().type() == HttpJsonConfig.AuthType.API_KEY_QUERY
                ? withQuery(uri, Map.of(config.auth().name(), credentials.get("api_key"))) : uri;
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
