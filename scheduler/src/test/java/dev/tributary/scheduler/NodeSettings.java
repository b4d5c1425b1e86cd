package dev.tributary.scheduler;

import dev.tributary.db.TestDatabase;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of a scheduler node started by a test of this module, which has no
 * {@code application.yml} of its own: every engine and scheduler setting, with the service's
 * values where waiting does not matter and short ones where tests wait (retries, lock retries,
 * shutdown, alert retries; no SMTP server). A node that executes no jobs unless the test says {@code worker: true}.
 */
public final class NodeSettings {

    private NodeSettings() {
    }

    /** The settings on {@code database}, for the test to add to or change. */
    public static Map<String, Object> on(TestDatabase database) {
        Map<String, Object> properties = database.contextProperties();
        properties.put("tributary.scheduler.worker", "false");
        properties.put("tributary.scheduler.threads", "1");
        properties.put("tributary.scheduler.checkin-interval", "7500");
        properties.put("tributary.scheduler.idle-wait", "1s");
        properties.put("tributary.scheduler.lock-retry-delay", "200ms");
        properties.put("tributary.scheduler.retry-base-delay", "1s");
        properties.put("tributary.scheduler.shutdown-timeout", "5s");
        properties.put("tributary.engine.deletion-guard", "0.5");
        properties.put("tributary.engine.rate-limit-waits", "3");
        properties.put("tributary.engine.longest-rate-limit-wait", "10s");
        properties.put("tributary.engine.page-timeout", "5m");
        properties.put("tributary.alerts.smtp-port", "25");
        properties.put("tributary.alerts.smtp-from", "tributary@localhost");
        properties.put("tributary.alerts.attempts", "3");
        properties.put("tributary.alerts.retry-delay", "100ms");
        properties.put("tributary.alerts.allow-private-addresses", "false");
        return properties;
    }
}
