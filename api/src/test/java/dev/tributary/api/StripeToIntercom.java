package dev.tributary.api;

import dev.tributary.connector.testkit.FakeIntercom;
import dev.tributary.connector.testkit.FakeStripe;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stripe customers pushed to Intercom contacts, for API tests of the sync list: the two fakes, the service
 * settings that point the connectors at them, a tenant's {@code billing} (Stripe, customers) and
 * {@code support} (Intercom, contacts shaped by a field mapping) apps created over the API, and sync list
 * items written straight through {@code SyncListItems} as their owner would, for tests that need items
 * without going through {@code POST /api/sync-list}.
 */
public final class StripeToIntercom implements AutoCloseable {

    public static final String SOURCE = "billing";
    public static final String TARGET = "support";
    public static final String CUSTOMERS = "stripe_customer";
    public static final String CONTACTS = "intercom_contact";

    private static final String STRIPE_KEY = "sk_test_sync_list";
    private static final String INTERCOM_TOKEN = "intercom-sync-list-token";

    public final FakeStripe stripe = FakeStripe.start(STRIPE_KEY);
    public final FakeIntercom intercom = FakeIntercom.start(INTERCOM_TOKEN);

    /** {@code settings} with both connectors calling the fakes, Stripe without network retries. */
    public ServiceSettings on(ServiceSettings settings) {
        return settings.with("tributary.connectors.stripe.api-base", stripe.baseUri().toString())
                .with("tributary.connectors.stripe.max-network-retries", "0")
                .with("tributary.connectors.intercom.api-base", intercom.baseUri().toString());
    }

    /** Creates the tenant's {@code billing} and {@code support} apps as the tenant's {@code auth} headers. */
    public void createApps(HttpProbe http, String... auth) {
        var billing = http.send("POST", "/api/apps", "{\"app_key\": \"" + SOURCE + "\", \"connector\": \"stripe\","
                + " \"name\": \"Billing\", \"config\": {\"collections\": [\"" + CUSTOMERS + "\"]},"
                + " \"credentials\": {\"api_key\": \"" + STRIPE_KEY + "\"}}", auth);
        assertEquals(201, billing.statusCode(), billing.body());
        var support = http.send("POST", "/api/apps", "{\"app_key\": \"" + TARGET + "\", \"connector\": \"intercom\","
                + " \"name\": \"Support\", \"config\": {\"field_mappings\": {\"" + CONTACTS + "\": {\"email\": \"/email\","
                + " \"name\": \"/name\", \"role\": {\"const\": \"user\"}}}},"
                + " \"credentials\": {\"access_token\": \"" + INTERCOM_TOKEN + "\"}}", auth);
        assertEquals(201, support.statusCode(), support.body());
    }

    /** A Stripe customer; returns its id. */
    public String customer(String name, String email) {
        return stripe.create("customers", Map.of("name", name, "email", email));
    }

    /** A full pull of the Stripe customers into the tenant's entities, through {@code POST /api/sync}. */
    public Map<String, Object> pullCustomers(HttpProbe http, String key, String tenant) {
        return http.syncToCompletion(key, tenant, "{\"app_key\": \"" + SOURCE + "\", \"collection\": \"" + CUSTOMERS
                + "\", \"mode\": \"full\"}");
    }

    /** Lists the pulled customer {@code sourceId} for {@code owner}, in delta mode, as that owner's scope. */
    public static SyncListItem list(TenantScope scope, SyncListItems items, TenantId tenant, String owner,
                                    String sourceId, boolean active) {
        var added = scope.writeJdbc(tenant, Ownership.only(owner), c -> items.insert(c, tenant.value(),
                new SyncListItems.NewItem(owner, SOURCE, CUSTOMERS, sourceId, TARGET, CONTACTS, RunMode.DELTA, active,
                        false, null, Map.of())));
        return ((SyncListItems.Insertion.Added) added).item();
    }

    @Override
    public void close() {
        stripe.close();
        intercom.close();
    }
}
