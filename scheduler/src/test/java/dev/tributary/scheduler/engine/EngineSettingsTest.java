package dev.tributary.scheduler.engine;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.scheduler.NodeSettings;
import dev.tributary.scheduler.SchedulerConfiguration;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watchdog's and the shutdown's settings are checked at start-up, and a bad one is named. */
class EngineSettingsTest {

    private static final TestDatabase DATABASE = TestPostgres.freshDatabase();

    private static Map<String, Object> settings() {
        // A database for the beans that start with the context; the settings are what is looked at.
        Map<String, Object> properties = NodeSettings.on(DATABASE);
        properties.put("tributary.scheduler.lock-retry-delay", "1s");
        properties.put("tributary.scheduler.shutdown-timeout", "25s"); // the service's default
        return properties;
    }

    private static String failure(Class<?> bean, String key, String value) {
        Map<String, Object> properties = settings();
        properties.put(key, value);
        Throwable root = assertThrows(RuntimeException.class, () -> {
            try (var context = ApplicationContext.builder().properties(properties).start()) {
                context.getBean(bean);
            }
        });
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Test
    void theDefaultsOfTheServiceAreAccepted() {
        try (var context = ApplicationContext.builder().properties(settings()).start()) {
            assertEquals(java.time.Duration.ofMinutes(5), context.getBean(EngineConfiguration.class).pageTimeout());
            assertEquals(java.time.Duration.ofSeconds(25),
                    context.getBean(SchedulerConfiguration.class).shutdownTimeout());
        }
    }

    @Test
    void aPageTimeoutOfZeroIsRefusedNamingTheSetting() {
        assertEquals("invalid setting tributary.engine.page-timeout (TRIBUTARY_ENGINE_PAGE_TIMEOUT): must be at least 1ms",
                failure(EngineConfiguration.class, "tributary.engine.page-timeout", "0s"));
    }

    @Test
    void aNegativeShutdownTimeoutIsRefusedNamingTheSetting() {
        assertEquals("invalid setting tributary.scheduler.shutdown-timeout (TRIBUTARY_SCHEDULER_SHUTDOWN_TIMEOUT):"
                + " must not be negative", failure(SchedulerConfiguration.class, "tributary.scheduler.shutdown-timeout",
                "-1s"));
    }

    @Test
    void aMissingPageTimeoutIsRefusedNamingTheSetting() {
        Map<String, Object> properties = settings();
        properties.remove("tributary.engine.page-timeout");
        var failure = assertThrows(RuntimeException.class, () -> {
            try (var context = ApplicationContext.builder().properties(properties).start()) {
                context.getBean(EngineConfiguration.class);
            }
        });
        assertTrue(failure.getMessage().contains("pageTimeout"), failure.getMessage());
    }
}
