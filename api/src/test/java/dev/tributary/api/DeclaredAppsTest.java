package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantRepository;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Apps declared in configuration are created, then kept up to date, at start-up. */
class DeclaredAppsTest {

    private final FakeSaasServer saas = FakeSaasServer.start();
    private final TestDatabase database = TestPostgres.freshDatabase();

    private Map<String, Object> properties(String name, String credentialVariable) {
        Map<String, Object> properties = database.contextProperties();
        properties.put("tributary.connectors.http-json.allow-private-addresses", "true");
        String app = "tributary.declared-apps.acme.feed.";
        properties.put(app + "connector", "http-json");
        properties.put(app + "name", name);
        properties.put(app + "config.base-url", saas.baseUri().toString());
        properties.put(app + "config.auth.type", "bearer");
        properties.put(app + "config.collections[0].collection-key", "items");
        properties.put(app + "config.collections[0].path", "items");
        properties.put(app + "credentials-env.token", credentialVariable);
        properties.put(app + "schedule.cron", "*/15 * * * *");
        properties.put(app + "schedule.timezone", "Europe/Paris");
        return properties;
    }

    @Test
    void declaredAppsAreCreatedThenUpdatedAndBadOnesStopStartUp() {
        try (var context = ApplicationContext.run(properties("Feed", "PATH"))) {
            var app = context.getBean(Apps.class).get(new TenantId("acme"), "feed");
            assertEquals("Feed", app.name());
            assertTrue(app.credentialsEnc() != null, "credentials are set");
            assertEquals("*/15 * * * *", app.scheduleCron());
            assertTrue(context.getBean(TenantRepository.class).existsById("acme"), "the tenant is created too");
        }
        try (var context = ApplicationContext.run(properties("Feed v2", "PATH"))) {
            assertEquals("Feed v2", context.getBean(Apps.class).get(new TenantId("acme"), "feed").name());
        }
        var missingVariable = assertThrows(RuntimeException.class,
                () -> ApplicationContext.run(properties("Feed", "TRIBUTARY_TEST_NO_SUCH_VARIABLE")));
        assertTrue(rootMessage(missingVariable).contains("tributary.declared-apps.acme.feed.credentials_env.token"),
                rootMessage(missingVariable));
        Map<String, Object> badCron = new HashMap<>(properties("Feed", "PATH"));
        badCron.put("tributary.declared-apps.acme.feed.schedule.cron", "every day");
        var invalid = assertThrows(RuntimeException.class, () -> ApplicationContext.run(badCron));
        assertTrue(rootMessage(invalid).contains("tributary.declared-apps.acme.feed: schedule.cron"), rootMessage(invalid));
        saas.close();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
