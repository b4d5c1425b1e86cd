package dev.tributary.api;

import dev.tributary.db.EmbeddedPostgresServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Readiness follows the database: 503 while it is down, 200 again once it is back, with no restart. */
class ReadinessTest {

    @Test
    void readinessFlipsWhenTheDatabaseStopsAndStarts(@TempDir Path dataDirectory) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var database = EmbeddedPostgresServer.start(dataDirectory, port);
        database.createDatabaseIfMissing("readiness");
        Map<String, Object> properties = Map.of(
                "datasources.default.url", database.jdbcUrl("readiness"),
                "datasources.default.username", EmbeddedPostgresServer.SUPERUSER,
                "datasources.default.password", "",
                "tributary.master-key", ServiceProcess.TEST_MASTER_KEY);
        try (var server = ApplicationContext.run(EmbeddedServer.class, properties)) {
            var http = new HttpProbe(server.getURI());
            assertEquals(200, http.get("/health/readiness").statusCode());

            database.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/health/readiness").statusCode() == 503);
            assertEquals(200, http.get("/health/liveness").statusCode(), "liveness must not follow the database");

            database = EmbeddedPostgresServer.start(dataDirectory, port);
            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/health/readiness").statusCode() == 200);
        } finally {
            database.close();
        }
    }
}
