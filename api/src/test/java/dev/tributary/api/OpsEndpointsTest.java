package dev.tributary.api;

import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsEndpointsTest implements TestPropertyProvider {

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
    void healthLivenessAndReadinessAreUp() {
        for (String path : new String[]{"/health", "/health/liveness", "/health/readiness"}) {
            var response = http().get(path);
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            assertEquals("UP", HttpProbe.json(response).get("status"), path);
        }
    }

    @Test
    void prometheusExposesJvmHttpServerAndPoolMetrics() {
        http().get("/health");
        var response = http().get("/prometheus");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        for (String metric : new String[]{"jvm_memory_used_bytes", "http_server_requests_seconds_count",
                "hikaricp_connections_active"}) {
            assertTrue(response.body().contains(metric), "missing " + metric);
        }
    }

    @Test
    void openApiDocumentIsServed() {
        var response = http().get("/openapi/tributary.yml");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("openapi: 3"), response.body());
        assertTrue(response.body().contains("title: Tributary"));
    }

    @Test
    void swaggerUiPointsAtTheDocument() {
        var redirect = http().get("/swagger-ui");
        assertEquals(308, redirect.statusCode());
        assertEquals("/swagger-ui/index.html", redirect.headers().firstValue("Location").orElseThrow());
        var page = http().get("/swagger-ui/index.html");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/openapi/tributary.yml"));
    }
}
