package dev.tributary.api;

import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console as the service serves it from module console's jar, over a real socket: its page at
 * {@code /console} and {@code /console/} with no credential, every file the page names, and the headers that
 * keep a page holding a tenant's key to the service's own script.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAssetsTest implements TestPropertyProvider {

    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/console/[^\"]+)\"");

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return ServiceSettings.of(TestPostgres.freshDatabase(), "admin-key-for-the-console-tests-5").noWorker()
                .properties();
    }

    @Test
    void thePageIsServedAtBothAddressesWithoutACredential() {
        for (String path : List.of("/console", "/console/")) {
            var page = http().get(path);
            assertEquals(200, page.statusCode(), path + ": " + page.body());
            assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"), path);
            assertTrue(page.body().contains("<div id=\"console\">"), page.body());
            assertLockedDown(page, path);
        }
    }

    @Test
    void everyFileThePageNamesIsServedWithItsType() {
        var names = ASSET.matcher(http().get("/console/").body()).results().map(m -> m.group(1)).toList();
        assertEquals(List.of("/console/console.css", "/console/console.js"), names.stream().sorted().toList());
        for (String name : names) {
            var file = http().get(name);
            assertEquals(200, file.statusCode(), name);
            assertTrue(file.body().length() > 1000, name + " is the built file, not an empty one");
            String type = file.headers().firstValue("Content-Type").orElseThrow();
            assertTrue(name.endsWith(".js") ? type.contains("javascript") : type.startsWith("text/css"), name + ": " + type);
            assertLockedDown(file, name);
        }
    }

    @Test
    void aFileTheConsoleDoesNotHaveIsA404Problem() {
        var missing = http().get("/console/secrets.json");
        HttpProbe.assertProblem(missing, 404, "not_found");
    }

    @Test
    void theBundleKeepsTheCredentialInSessionStorageOnly() {
        String bundle = http().get("/console/console.js").body();
        assertTrue(bundle.contains("/api/sync/status") && bundle.contains("sessionStorage"), "the built console");
        assertFalse(bundle.contains("localStorage") || bundle.contains("document.cookie"),
                "the credential is kept in sessionStorage only");
    }

    private static void assertLockedDown(HttpResponse<String> response, String path) {
        String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'")
                && policy.contains("connect-src 'self'"), path + ": " + policy);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), path);
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(null), path);
    }

    private HttpProbe http() {
        return new HttpProbe(server.getURI());
    }
}
