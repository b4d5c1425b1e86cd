package dev.tributary.connector;

import java.time.Instant;
import java.util.Map;

/** The tenant's app a connector works for: its configuration and decrypted credentials. */
public record AppContext(String tenantId, String appKey, Map<String, Object> config, Map<String, String> credentials,
                         Instant syncFrom) {

    public AppContext {
        config = Map.copyOf(config);
        credentials = Map.copyOf(credentials);
    }

    @Override
    public String toString() {
        // Credentials never reach a log line through toString.
        return "AppContext[tenantId=" + tenantId + ", appKey=" + appKey + ", config=" + config.keySet() + "]";
    }
}
