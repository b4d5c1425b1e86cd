package dev.tributary.connector.intercom;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.json.CanonicalJson;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Intercom's REST API over the JDK's HTTP client (Intercom's own Java SDK is a typed
 * model; the stored payload is exactly what Intercom sent): a resource's list pages and
 * search pages, single objects, contact writes, and errors — Intercom's {@code error.list} — turned into
 * the connector error family by {@link ConnectorException#ofHttpStatus}; a 429 waits until
 * {@code X-RateLimit-Reset}.
 */
final class IntercomApi {

    /** Objects per page of a cursor listing or a search: Intercom's largest. */
    private static final int CURSOR_PAGE_SIZE = 150;
    /** Companies per page of their page-numbered list: Intercom's largest. */
    private static final int NUMBERED_PAGE_SIZE = 60;

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final IntercomConfiguration configuration;
    private final String accessToken;
    private final Clock clock;

    IntercomApi(IntercomConfiguration configuration, String accessToken, Clock clock) {
        this.configuration = configuration;
        this.accessToken = accessToken;
        this.clock = clock;
    }

    /** The page of the collection's list at {@code cursor} (null: the first); admins and tags have one page. */
    CanonicalJson.Value list(IntercomCollection collection, String cursor) throws ConnectorException {
        Map<String, String> query = new LinkedHashMap<>();
        switch (collection.listing) {
            case CURSOR -> {
                query.put("per_page", Integer.toString(CURSOR_PAGE_SIZE));
                if (cursor != null) {
                    query.put("starting_after", cursor);
                }
                return get(collection.listPath, query);
            }
            case PAGE_NUMBER -> {
                query.put("page", cursor == null ? "1" : cursor);
                query.put("per_page", Integer.toString(NUMBERED_PAGE_SIZE));
                return post(collection.listPath, query, "{}");
            }
            default -> {
                return get(collection.listPath, Map.of());
            }
        }
    }

    /**
     * The page at {@code cursor} (null: the first) of the collection's search for the objects whose every field
     * in {@code after} is greater than its value: one {@code >} comparison, or several joined by {@code AND}.
     */
    CanonicalJson.Value search(IntercomCollection collection, Map<String, Long> after, String cursor)
            throws ConnectorException {
        List<String> comparisons = after.entrySet().stream().map(e -> "{\"field\":\"" + e.getKey()
                + "\",\"operator\":\">\",\"value\":" + e.getValue() + "}").toList();
        String query = comparisons.size() == 1 ? comparisons.get(0)
                : "{\"operator\":\"AND\",\"value\":[" + String.join(",", comparisons) + "]}";
        String pagination = "\"pagination\":{\"per_page\":" + CURSOR_PAGE_SIZE
                + (cursor == null ? "" : ",\"starting_after\":" + quoted(cursor)) + "}";
        return post(collection.searchPath, Map.of(), "{\"query\":" + query + "," + pagination + "}");
    }

    CanonicalJson.Value get(String path, Map<String, String> query) throws ConnectorException {
        return send(request(path, query).GET().build(), path);
    }

    private CanonicalJson.Value post(String path, Map<String, String> query, String jsonBody) throws ConnectorException {
        return send("POST", path, query, jsonBody);
    }

    /** Sends {@code jsonBody} with {@code method} (a write: POST to create, PUT to update) and returns the answer. */
    CanonicalJson.Value send(String method, String path, Map<String, String> query, String jsonBody)
            throws ConnectorException {
        return send(request(path, query).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(jsonBody)).build(), path);
    }

    private HttpRequest.Builder request(String path, Map<String, String> query) {
        String url = configuration.apiBaseOrDefault() + path + (query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&")));
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .header("Intercom-Version", configuration.apiVersionOrDefault());
    }

    private CanonicalJson.Value send(HttpRequest request, String path) throws ConnectorException {
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectorException.Transient("Intercom could not be reached for " + request.method() + " " + path
                    + ": " + ConnectorException.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException.Transient("interrupted while calling Intercom", e);
        }
        int status = response.statusCode();
        if (status == 200) {
            try {
                return CanonicalJson.parse(response.body());
            } catch (IOException e) {
                throw new ConnectorException.Transient("Intercom answered " + path + " with unreadable JSON", e);
            }
        }
        String message = "Intercom answered " + request.method() + " " + path + " with " + status + ": " + error(response);
        throw ConnectorException.ofHttpStatus(status, message, () -> untilReset(response));
    }

    /** How long until the limit resets ({@code X-RateLimit-Reset}, epoch seconds), rounded up; a second by default. */
    private Duration untilReset(HttpResponse<String> response) {
        try {
            long reset = Long.parseLong(response.headers().firstValue("X-RateLimit-Reset").orElse(""));
            long millis = reset * 1000 - clock.millis();
            return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    /** The first error's code and message, from Intercom's {@code error.list}. */
    private static String error(HttpResponse<String> response) {
        try {
            CanonicalJson.Value body = CanonicalJson.parse(response.body());
            return CanonicalJson.scalarAt(body, "/errors/0/code") + " (" + CanonicalJson.scalarAt(body,
                    "/errors/0/message") + ")";
        } catch (IOException e) {
            return "(no error body)";
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
