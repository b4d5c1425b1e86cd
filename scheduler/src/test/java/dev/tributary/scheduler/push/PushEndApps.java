package dev.tributary.scheduler.push;

import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.scheduler.app.AppDefinition;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.tenancy.TenantId;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The apps a test of push ends (saved filters, the sync list) checks against, created for a tenant: {@code shop}
 * (http-json reading {@code products} and {@code orders}, writing nothing), {@code crm} and {@code helpdesk}
 * (Intercom, writing {@code intercom_contact} only), {@code billing} (Stripe, no destination) and {@code outbox}
 * (http-json writing {@code leads} and {@code deals}). The http-json apps point at {@code source}; none is ever
 * called by these checks.
 */
public final class PushEndApps {

    private PushEndApps() {
    }

    public static void create(Apps apps, TenantId tenant, URI source) {
        apps.create(tenant, app("shop", "http-json", Map.of("base_url", source.toString(),
                "auth", Map.of("type", "bearer"), "collections", List.of(
                        Map.of("collection_key", "products", "path", "products"),
                        Map.of("collection_key", "orders", "path", "orders"))), Map.of("token", "t")));
        apps.create(tenant, app("crm", "intercom", Map.of(), Map.of("access_token", "t")));
        apps.create(tenant, app("helpdesk", "intercom", Map.of(), Map.of("access_token", "t")));
        apps.create(tenant, app("billing", "stripe", Map.of(), Map.of("api_key", "sk_test_1")));
        apps.create(tenant, app("outbox", "http-json", Map.of("base_url", source.toString(),
                "auth", Map.of("type", "bearer"), "collections", List.of(writable("leads"), writable("deals"))),
                Map.of("token", "t")));
    }

    private static AppDefinition app(String key, String connector, Map<String, Object> config,
                                     Map<String, String> credentials) {
        return new AppDefinition(key, connector, key, config, credentials, null,
                new AppDefinition.Schedule(null, null, "incremental", false), AppDefinition.DEFAULT_MAX_ATTEMPTS,
                AlertTarget.NONE);
    }

    private static Map<String, Object> writable(String collection) {
        return Map.of("collection_key", collection, "path", collection,
                "destination", Map.of("create", Map.of("path", collection),
                        "update", Map.of("path", collection + "/{target_id}")));
    }
}
