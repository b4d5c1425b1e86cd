package dev.tributary.scheduler.app;

import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.testkit.ConnectorContract;
import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.app.App;
import dev.tributary.db.lock.SyncLocks;
import dev.tributary.scheduler.NodeSettings;
import dev.tributary.scheduler.Refusal;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.tenancy.SecretBox;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app service every caller shares (API, config-as-code, workers, webhooks, the sync command), on a real PostgreSQL. */
class AppsTest {

    private static final String TOKEN = "tok-secret-123";
    private static final String ALERT_SECRET = "alert-signing-secret-0001";

    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 3);
    private final TestDatabase database = TestPostgres.freshDatabase();
    private final TenantId acme = new TenantId("acme");
    private ApplicationContext context;
    private Apps apps;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> properties = NodeSettings.on(database);
        properties.put("tributary.connectors.http-json.allow-private-addresses", "true");
        context = ApplicationContext.run(properties);
        apps = context.getBean(Apps.class);
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex')");
    }

    @AfterEach
    void stop() {
        context.close();
        saas.close();
    }

    private Map<String, Object> config() {
        return Map.of("base_url", saas.baseUri().toString(), "auth", Map.of("type", "bearer"),
                "collections", List.of(Map.of("collection_key", "items", "path", "items")));
    }

    /** A valid http-json app reading the fake source; each test changes what it checks. */
    private AppDefinition items(String appKey) {
        return new AppDefinition(appKey, "http-json", "Items", config(), Map.of("token", TOKEN), null,
                new AppDefinition.Schedule(null, null, "incremental", false), AppDefinition.DEFAULT_MAX_ATTEMPTS,
                AlertTarget.NONE);
    }

    private long rows(String sql) throws Exception {
        return database.queryLong(sql);
    }

    @Test
    void anAppLoadsWithItsConnectorConfigOpenedCredentialsAndAlertChannels() throws Exception {
        AlertTarget alerts = new AlertTarget("https://hooks.example.com/alerts", ALERT_SECRET, List.of("ops@acme.test"));
        var definition = items("resolved");
        apps.create(acme, new AppDefinition(definition.appKey(), definition.connector(), definition.name(),
                definition.config(), definition.credentials(), Instant.parse("2024-01-01T00:00:00Z"),
                definition.schedule(), 5, alerts));

        LoadedApp app = apps.load(acme, "resolved").orElseThrow();
        assertEquals("http-json", app.connector().metadata().provider());
        assertEquals(config(), app.context().config());
        assertEquals(Map.of("token", TOKEN), app.context().credentials());
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), app.context().syncFrom());
        assertEquals(5, app.maxAttempts());
        assertEquals(alerts, app.alerts(), "the webhook secret opened");
        assertEquals(3, ConnectorContract.fetchAll(app.connector(), app.context(), FetchRequest.full("items")).ids().size());

        assertTrue(apps.load(new TenantId("globex"), "resolved").isEmpty(), "another tenant has no such app");
        assertTrue(apps.load(acme, "nothing").isEmpty());
        assertTrue(apps.load(acme, "bad\u0000key").isEmpty(), "a key no app can have is not looked up");
    }

    @Test
    void secretsAreSealedAtRestForTheirOwnAppOnly() throws Exception {
        var definition = items("sealed");
        apps.create(acme, new AppDefinition("sealed", "http-json", "Items", config(), Map.of("token", TOKEN), null,
                definition.schedule(), 3, new AlertTarget("https://hooks.example.com/a", ALERT_SECRET, List.of())));
        apps.create(acme, items("other"));
        String stored = database.queryText("SELECT encode(credentials_enc, 'escape') || config::text"
                + " || alert_config::text FROM tributary.apps WHERE app_key = 'sealed'");
        assertFalse(stored.contains(TOKEN), stored);
        assertFalse(stored.contains(ALERT_SECRET), stored);

        // The app's identity is sealed in: its credentials copied to another app's row do not open there.
        database.execute("UPDATE tributary.apps SET credentials_enc = (SELECT credentials_enc FROM tributary.apps"
                + " WHERE app_key = 'sealed') WHERE app_key = 'other'");
        assertThrows(SecretBox.SecretBoxException.class, () -> apps.load(acme, "other"));
    }

    @Test
    void everyRuleNamesItsFieldInOrderAndStoresNothing() throws Exception {
        AppDefinition valid = items("checked");
        Map<String, UnaryOperator<AppDefinition>> cases = new LinkedHashMap<>();
        cases.put("app_key", d -> with(d, null, d.connector(), d.name()));
        cases.put("app_key ", d -> with(d, "bad key", d.connector(), d.name()));
        cases.put("connector", d -> with(d, d.appKey(), null, d.name()));
        cases.put("name", d -> with(d, d.appKey(), d.connector(), "  "));
        cases.put("name ", d -> with(d, d.appKey(), d.connector(), "x".repeat(201)));
        cases.put("config.base_url", d -> new AppDefinition(d.appKey(), d.connector(), d.name(), Map.of(),
                d.credentials(), d.syncFrom(), d.schedule(), d.maxAttempts(), d.alerts()));
        cases.put("credentials.token", d -> new AppDefinition(d.appKey(), d.connector(), d.name(), d.config(),
                Map.of(), d.syncFrom(), d.schedule(), d.maxAttempts(), d.alerts()));
        cases.put("schedule.mode", d -> schedule(d, new AppDefinition.Schedule(null, null, "sometimes", false)));
        cases.put("schedule.cron", d -> schedule(d, new AppDefinition.Schedule("61 * * * *", "UTC", "full", true)));
        cases.put("schedule.cron ", d -> schedule(d, new AppDefinition.Schedule(null, null, "full", true)));
        cases.put("schedule.timezone", d -> schedule(d, new AppDefinition.Schedule("0 6 * * *", "Mars/Olympus",
                "full", true)));
        cases.put("retry_policy.max_attempts", d -> attempts(d, 0));
        cases.put("retry_policy.max_attempts ", d -> attempts(d, 21));
        cases.put("alerts.webhook_secret", d -> alerts(d, new AlertTarget("https://hooks.example.com", "short", List.of())));
        cases.put("alerts.webhook_url", d -> alerts(d, new AlertTarget("ftp://x", ALERT_SECRET, List.of())));
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        cases.put("alerts.emails", d -> alerts(d, new AlertTarget(null, null, withNull)));
        cases.put("alerts.emails ", d -> alerts(d, new AlertTarget(null, null, List.of("ops@acme.test", "not-an-email"))));
        cases.put("alerts.webhook_secret ", d -> alerts(d, new AlertTarget("https://hooks.example.com", null, List.of())));
        // Two rules broken: the first in the order above is named.
        cases.put("name  ", d -> attempts(with(d, d.appKey(), d.connector(), null), 0));

        cases.forEach((field, breaking) -> {
            var refused = assertThrows(Refusal.InvalidField.class, () -> apps.create(acme, breaking.apply(valid)),
                    field);
            assertEquals(field.strip(), refused.field(), refused.getMessage());
        });
        var unknown = assertThrows(AppException.UnknownConnector.class,
                () -> apps.create(acme, with(valid, "c1", "salesforce", "x")));
        assertEquals("salesforce", unknown.connector());
        assertEquals(0, rows("SELECT count(*) FROM tributary.apps"));
        assertEquals(0, rows("SELECT count(*) FROM tributary.qrtz_triggers"));
    }

    @Test
    void aChangeIsAppliedToTheAppAsItIsUnderItsKeyAndConnector() throws Exception {
        String longSecret = "s".repeat(200);
        apps.create(acme, alerts(items("changed"), new AlertTarget("https://hooks.example.com/a", longSecret,
                List.of("ops@acme.test"))));
        List<AppDefinition> seen = new ArrayList<>();
        App renamed = apps.update(acme, "changed", current -> {
            seen.add(current);
            return with(current, current.appKey(), current.connector(), "Renamed");
        });
        assertEquals("Renamed", renamed.name());
        assertEquals(Map.of("token", TOKEN), seen.get(0).credentials(), "a change sees the credentials opened");
        assertEquals(longSecret, seen.get(0).alerts().webhookSecret(),
                "and the webhook secret, which a change that keeps it may keep (200 characters, sealed far longer)");
        assertEquals(new AlertTarget("https://hooks.example.com/a", longSecret, List.of("ops@acme.test")),
                apps.load(acme, "changed").orElseThrow().alerts());
        assertEquals(Map.of("token", TOKEN), apps.load(acme, "changed").orElseThrow().context().credentials());

        assertEquals("app_key", assertThrows(Refusal.InvalidField.class, () -> apps.update(acme, "changed",
                current -> with(current, "renamed", current.connector(), current.name()))).field());
        assertEquals("connector", assertThrows(Refusal.InvalidField.class, () -> apps.update(acme, "changed",
                current -> with(current, current.appKey(), "json-feed", current.name()))).field());
        assertEquals("schedule.cron", assertThrows(Refusal.InvalidField.class, () -> apps.update(acme, "changed",
                current -> schedule(current, new AppDefinition.Schedule("every day", "UTC", "full", true)))).field());
        assertEquals("Renamed", apps.get(acme, "changed").name(), "a refused change changes nothing");
        assertThrows(AppException.NotFound.class, () -> apps.update(acme, "nothing", UnaryOperator.identity()));
        assertThrows(AppException.NotFound.class, () -> apps.update(acme, "bad\u0000key", UnaryOperator.identity()));
    }

    @Test
    void anEnabledScheduleIsATriggerWrittenWithTheAppAndGoneWithIt() throws Exception {
        apps.create(acme, schedule(items("scheduled"), new AppDefinition.Schedule("0 6 * * 1-5", "America/Toronto",
                "full", true)));
        assertEquals(1, rows("SELECT count(*) FROM tributary.qrtz_triggers WHERE trigger_name = 'acme/scheduled'"));
        App stored = apps.get(acme, "scheduled");
        assertEquals("America/Toronto", stored.scheduleTimezone());
        apps.update(acme, "scheduled", current -> schedule(current, new AppDefinition.Schedule(
                current.schedule().cron(), current.schedule().timezone(), "full", false)));
        assertEquals(0, rows("SELECT count(*) FROM tributary.qrtz_triggers WHERE trigger_name = 'acme/scheduled'"),
                "disabled");
        apps.update(acme, "scheduled", current -> schedule(current, new AppDefinition.Schedule(
                current.schedule().cron(), current.schedule().timezone(), "full", true)));
        apps.delete(acme, "scheduled");
        assertEquals(0, rows("SELECT count(*) FROM tributary.qrtz_job_details WHERE job_name = 'acme/scheduled'"));
        assertFalse(apps.exists(acme, "scheduled"));
    }

    @Test
    void aSecondCreateOfOneKeyIsToldItExistsAndChangesNothing() throws Exception {
        apps.create(acme, items("twin"));
        var again = assertThrows(AppException.AlreadyExists.class, () -> apps.create(acme,
                schedule(with(items("twin"), "twin", "http-json", "Twin"),
                        new AppDefinition.Schedule("0 6 * * *", "UTC", "full", true))));
        assertEquals("App twin already exists", again.getMessage());
        assertEquals("Items", apps.get(acme, "twin").name());
        assertEquals(0, rows("SELECT count(*) FROM tributary.qrtz_triggers"), "the refused create's trigger rolled back");
        apps.create(new TenantId("globex"), items("twin"));
        assertEquals(1, apps.list(new TenantId("globex"), 20, 0).total(), "keys are per tenant");
    }

    @Test
    void anAppWhoseSyncHoldsItsLocksIsNotDeletedUntilTheSyncEnds() throws Exception {
        apps.create(acme, items("held"));
        database.execute("INSERT INTO tributary.entities (tenant_id, app_key, collection_key, external_id,"
                + " raw_payload, content_hash) VALUES ('acme', 'held', 'items', 'i1', '{}', '\\x00')");
        try (SyncLocks.Held lock = context.getBean(SyncLocks.class).tryLock("acme", "held", List.of("items"))
                .orElseThrow()) {
            var refused = assertThrows(AppException.SyncRunning.class, () -> apps.delete(acme, "held"));
            assertEquals("A sync of app held is running", refused.getMessage());
            assertTrue(apps.exists(acme, "held"));
            assertTrue(lock.stillHeld());
        }
        apps.delete(acme, "held");
        assertEquals(0, rows("SELECT count(*) FROM tributary.apps WHERE app_key = 'held'"));
        assertEquals(0, rows("SELECT count(*) FROM tributary.entities WHERE app_key = 'held'"));
        assertThrows(AppException.NotFound.class, () -> apps.delete(acme, "held"));
    }

    @Test
    void concurrentChangesOfDifferentMembersAllTakeEffect() throws Exception {
        apps.create(acme, items("patched"));
        List<UnaryOperator<AppDefinition>> changes = List.of(
                d -> with(d, d.appKey(), d.connector(), "Renamed"),
                d -> attempts(d, 7),
                d -> schedule(d, new AppDefinition.Schedule("30 7 * * *", "UTC", d.schedule().mode(),
                        d.schedule().enabled())),
                d -> new AppDefinition(d.appKey(), d.connector(), d.name(), d.config(), Map.of("token", "rotated"),
                        d.syncFrom(), d.schedule(), d.maxAttempts(), d.alerts()));
        ExecutorService pool = Executors.newFixedThreadPool(changes.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<App>> done = new ArrayList<>();
            for (var change : changes) {
                done.add(pool.submit(() -> {
                    start.await();
                    return apps.update(acme, "patched", change);
                }));
            }
            start.countDown();
            for (var future : done) {
                assertInstanceOf(App.class, future.get());
            }
        } finally {
            pool.shutdown();
        }
        App app = apps.get(acme, "patched");
        assertEquals("Renamed", app.name());
        assertEquals(7, app.retryMaxAttempts());
        assertEquals("30 7 * * *", app.scheduleCron());
        assertEquals(Map.of("token", "rotated"), apps.load(acme, "patched").orElseThrow().context().credentials());
    }

    @Test
    void appsAreListedNewestFirstWithTheirTotal() {
        for (String key : List.of("first", "second", "third")) {
            apps.create(acme, items(key));
        }
        Apps.Listing page = apps.list(acme, 2, 0);
        assertEquals(List.of("third", "second"), page.apps().stream().map(App::appKey).toList());
        assertEquals(3, page.total());
        assertEquals(List.of("first"), apps.list(acme, 2, 2).apps().stream().map(App::appKey).toList());
    }

    private static AppDefinition with(AppDefinition d, String appKey, String connector, String name) {
        return new AppDefinition(appKey, connector, name, d.config(), d.credentials(), d.syncFrom(), d.schedule(),
                d.maxAttempts(), d.alerts());
    }

    private static AppDefinition schedule(AppDefinition d, AppDefinition.Schedule schedule) {
        return new AppDefinition(d.appKey(), d.connector(), d.name(), d.config(), d.credentials(), d.syncFrom(),
                schedule, d.maxAttempts(), d.alerts());
    }

    private static AppDefinition attempts(AppDefinition d, int maxAttempts) {
        return new AppDefinition(d.appKey(), d.connector(), d.name(), d.config(), d.credentials(), d.syncFrom(),
                d.schedule(), maxAttempts, d.alerts());
    }

    private static AppDefinition alerts(AppDefinition d, AlertTarget alerts) {
        return new AppDefinition(d.appKey(), d.connector(), d.name(), d.config(), d.credentials(), d.syncFrom(),
                d.schedule(), d.maxAttempts(), alerts);
    }
}
