package dev.tributary.api;

import dev.tributary.db.TestDatabase;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings a test starts the service with: a test database (which brings the tests' master
 * key) and an operator key, plus what the test adds. Composed, like {@link HttpProbe} and
 * {@link TestDatabase}, so each test says only what sets it apart.
 */
public final class ServiceSettings {

    private final Map<String, String> values;

    private ServiceSettings(TestDatabase database, String adminKey) {
        values = new HashMap<>(database.micronautProperties());
        values.put("tributary.admin-api-key", adminKey);
    }

    /** A service on {@code database} whose {@code /admin/**} key is {@code adminKey}. */
    public static ServiceSettings of(TestDatabase database, String adminKey) {
        return new ServiceSettings(database, adminKey);
    }

    /** Tenant JWTs signed HS256 with {@code secret}. */
    public ServiceSettings jwtSecret(String secret) {
        return with("tributary.jwt.secret", secret);
    }

    /** http-json apps may call this machine, where the tests' fake sources listen. */
    public ServiceSettings localSources() {
        return with("tributary.connectors.http-json.allow-private-addresses", "true");
    }

    /** The node runs no syncs: what a test queues stays queued. */
    public ServiceSettings noWorker() {
        return with("tributary.scheduler.worker", "false");
    }

    /** Request, trigger and webhook budgets far above what a test sends: floods and races, not rate limits. */
    public ServiceSettings unlimitedRates() {
        return with("tributary.rate-limit.sync-triggers-per-minute", "100000")
                .with("tributary.rate-limit.requests-per-minute", "1000000")
                .with("tributary.rate-limit.webhooks-per-second", "1000000");
    }

    public ServiceSettings with(String key, String value) {
        values.put(key, value);
        return this;
    }

    /** For {@code TestPropertyProvider.getProperties()}. */
    public Map<String, String> properties() {
        return new HashMap<>(values);
    }

    /** For {@code ApplicationContext.run}: the same, serving on a free port. */
    public Map<String, Object> contextProperties() {
        Map<String, Object> properties = new HashMap<>(values);
        properties.put("micronaut.server.port", -1);
        return properties;
    }
}
