package dev.tributary.api;

import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorResponsesTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return TestPostgres.freshDatabase().micronautProperties();
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }

    @Test
    void unknownRouteIsA404Problem() {
        var problem = assertProblem(http().get("/no/such/route"), 404, "not_found");
        assertFalse(String.valueOf(problem.get("detail")).isBlank());
    }

    @Test
    void withoutAnAdminKeyConfiguredTheAdminEndpointsDoNotExist() {
        assertProblem(http().get("/admin/tenants", "Authorization", "Bearer anything"), 404, "not_found");
        assertProblem(http().send("POST", "/admin/tenants", "{}", "Content-Type", "application/json"), 404, "not_found");
    }

    @Test
    void wrongMethodIsA405Problem() {
        assertProblem(http().send("DELETE", "/health", null), 405, "method_not_allowed");
    }

    @Test
    void wrongMediaTypeIsA415Problem() {
        assertProblem(http().send("POST", "/test-probe/echo", "name=x", "Content-Type", "text/plain"),
                415, "unsupported_media_type");
    }

    @Test
    void malformedJsonIsA400ProblemThatSaysWhere() {
        var problem = assertProblem(http().send("POST", "/test-probe/echo", "{\"name\": ",
                "Content-Type", "application/json"), 400, "malformed_json");
        assertTrue(String.valueOf(problem.get("detail")).startsWith("The request body is not valid JSON"),
                String.valueOf(problem.get("detail")));
    }

    @Test
    void wellFormedJsonStillWorks() {
        var response = http().send("POST", "/test-probe/echo", "{\"name\": \"ada\"}", "Content-Type", "application/json");
        assertEquals(200, response.statusCode());
        assertEquals("ada", HttpProbe.json(response).get("name"));
    }

    @Test
    void crashIsA500ProblemThatLeaksNothing() {
        var response = http().get("/test-probe/crash");
        var problem = assertProblem(response, 500, "internal_error");
        assertEquals("Internal server error", problem.get("detail"));
        assertFalse(response.body().contains("secret-internal-detail"));
        assertFalse(response.body().contains("IllegalStateException"));
    }

    @Test
    void noDatabaseConnectionInTimeIsA503ToRetryNotA500() {
        var response = http().get("/test-probe/no-connection");
        var problem = assertProblem(response, 503, "unavailable");
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        assertEquals("Service temporarily unavailable", problem.get("detail"));
        assertFalse(response.body().contains("HikariPool"));
    }

    @Test
    void callersRequestIdIsEchoedInHeaderAndProblem() {
        var response = http().get("/no/such/route", "X-Request-ID", "trace-abc.123");
        assertEquals("trace-abc.123", response.headers().firstValue("X-Request-ID").orElseThrow());
        assertEquals("trace-abc.123", HttpProbe.json(response).get("request_id"));
    }

    @Test
    void missingOrUnsafeRequestIdIsReplacedByAGeneratedOne() {
        for (var response : new HttpResponse<?>[]{
                http().get("/health"),
                http().get("/health", "X-Request-ID", "bad id with spaces")}) {
            String id = response.headers().firstValue("X-Request-ID").orElseThrow();
            assertEquals(id, UUID.fromString(id).toString());
        }
    }

    private static Map<String, Object> assertProblem(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        var problem = HttpProbe.json(response);
        assertEquals(status, ((Number) problem.get("status")).intValue());
        assertEquals(code, problem.get("code"));
        assertEquals("urn:tributary:problem:" + code, problem.get("type"));
        assertTrue(problem.get("title") instanceof String title && !title.isBlank());
        assertTrue(problem.containsKey("detail"));
        String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
        assertEquals(requestId, problem.get("request_id"));
        return problem;
    }
}
