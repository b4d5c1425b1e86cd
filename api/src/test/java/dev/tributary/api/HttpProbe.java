package dev.tributary.api;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plain JDK HTTP client against a running server: real sockets, raw headers, no Micronaut client magic. */
public final class HttpProbe {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;

    public HttpProbe(URI base) {
        this.base = base;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        var publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return send(request(path, headers).method(method, publisher).build());
    }

    /** Creates a tenant through the operator API (an existing one answers 409, which is fine here). */
    public void createTenant(String adminKey, String tenant) {
        send("POST", "/admin/tenants", "{\"id\": \"" + tenant + "\", \"name\": \"" + tenant + "\"}",
                "Authorization", "Bearer " + adminKey, "Content-Type", "application/json");
    }

    /** Issues a tenant API key with one role through the operator API; returns the key. */
    public String createApiKey(String adminKey, String tenant, String role) {
        return (String) json(send("POST", "/admin/tenants/" + tenant + "/api-keys",
                "{\"name\": \"k\", \"roles\": [\"" + role + "\"]}",
                "Authorization", "Bearer " + adminKey, "Content-Type", "application/json")).get("key");
    }

    /** The headers of a JSON request as the tenant's {@code key}. */
    public static String[] asTenant(String key, String tenant) {
        return new String[]{"Authorization", "Bearer " + key, "X-Tenant-ID", tenant, "Content-Type", "application/json"};
    }

    /** Creates {@code tenant} with a key of {@code role}; returns the headers of a JSON request as that key. */
    public String[] tenantWithKey(String adminKey, String tenant, String role) {
        createTenant(adminKey, tenant);
        return asTenant(createApiKey(adminKey, tenant, role), tenant);
    }

    /**
     * Triggers a sync ({@code POST /api/sync} with {@code body}) as the tenant's {@code key}, waits for the
     * run to finish and asserts it completed; returns the run as the status endpoint shows it.
     */
    public Map<String, Object> syncToCompletion(String key, String tenant, String body) {
        String[] auth = asTenant(key, tenant);
        var response = send("POST", "/api/sync", body, auth);
        assertEquals(202, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        Map<String, Object>[] run = new Map[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = json(send("GET", location, null, auth));
            return FINISHED.contains(run[0].get("status"));
        });
        assertEquals("completed", run[0].get("status"), run[0].toString());
        return run[0];
    }

    /** Asserts {@code response} is a problem document of {@code status} with {@code code}. */
    public static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(code, json(response).get("code"), response.body());
    }

    /** Asserts {@code response} is a 400 {@code invalid_request} whose {@code errors} name {@code field}. */
    public static void assertField(HttpResponse<String> response, String field) {
        assertProblem(response, 400, "invalid_request");
        var errors = (List<?>) json(response).get("errors");
        assertTrue(errors != null && errors.stream().anyMatch(error -> field.equals(((Map<?, ?>) error).get("field"))),
                "names " + field + ": " + response.body());
    }

    private static final List<String> FINISHED = List.of("completed", "completed_with_errors", "failed", "dead_lettered",
            "cancelled");

    public static Map<String, Object> json(HttpResponse<String> response) {
        return json(response.body());
    }

    public static Map<String, Object> json(String body) {
        try {
            return JsonMapper.createDefault().readValue(body, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    private HttpRequest.Builder request(String path, String... headers) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
