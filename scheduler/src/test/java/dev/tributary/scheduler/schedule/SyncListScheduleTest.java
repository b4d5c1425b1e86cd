package dev.tributary.scheduler.schedule;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.scheduler.NodeSettings;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.scheduler.app.AppDefinition;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.run.SyncQueue;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tenant's sync list schedule on a worker node: its row and its DST-correct cron trigger change together, and
 * its firing (the stored job, fired through Quartz) queues one delta push run with trigger schedule per owner and
 * target app, holding exactly that owner's active items for that app. The queued runs are left waiting (their
 * Quartz group is paused): what is checked is what the schedule queues.
 */
class SyncListScheduleTest {

    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId GLOBEX = new TenantId("globex");
    private static final String ALICE = "key:00000000-0000-4000-8000-00000000a11c";
    private static final String BOB = "jwt:bob";

    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 1);
    private final TestDatabase database = TestPostgres.freshDatabase();
    private ApplicationContext node;
    private SyncListSchedules schedules;
    private Scheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> properties = NodeSettings.on(database);
        properties.put("tributary.scheduler.worker", "true");
        properties.put("tributary.connectors.http-json.allow-private-addresses", "true");
        node = ApplicationContext.run(properties);
        schedules = node.getBean(SyncListSchedules.class);
        scheduler = node.getBean(Scheduler.class);
        quartz(() -> {
            scheduler.pauseTriggers(GroupMatcher.triggerGroupEquals(SyncQueue.GROUP));
            return null;
        });
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex')");
        Apps apps = node.getBean(Apps.class);
        for (TenantId tenant : List.of(ACME, GLOBEX)) {
            for (String app : List.of("source", "crm", "helpdesk")) {
                apps.create(tenant, new AppDefinition(app, "http-json", app, Map.of("base_url",
                        saas.baseUri().toString(), "auth", Map.of("type", "none"), "collections",
                        List.of(Map.of("collection_key", "items", "path", "items"))), Map.of(), null,
                        new AppDefinition.Schedule(null, null, "incremental", false),
                        AppDefinition.DEFAULT_MAX_ATTEMPTS, AlertTarget.NONE));
            }
        }
    }

    @AfterEach
    void stop() {
        node.close();
        saas.close();
    }

    private UUID item(TenantId tenant, String owner, String target, boolean active) throws Exception {
        UUID id = UUID.randomUUID();
        database.execute("INSERT INTO tributary.sync_list_items (tenant_id, id, owner, source_app_key, collection_key,"
                + " source_id, target_app_key, target_collection, active) VALUES ('" + tenant.value() + "', '" + id
                + "', '" + owner + "', 'source', 'items', '" + id + "', '" + target + "', 'contacts', " + active + ")");
        return id;
    }

    /** Something asked of Quartz, whose store works in the caller's transaction. */
    private interface QuartzCall<T> {
        T call() throws SchedulerException;
    }

    private <T> T quartz(QuartzCall<T> call) {
        TransactionOperations<Connection> transactions = node.getBean(Argument.of(TransactionOperations.class,
                Connection.class));
        return transactions.executeWrite(status -> {
            try {
                return call.call();
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** As if the tenant's cron came due: its stored job fired through Quartz. */
    private void fire(TenantId tenant) {
        quartz(() -> {
            scheduler.triggerJob(SyncListSchedules.jobKey(tenant));
            return null;
        });
    }

    private boolean scheduled(TenantId tenant) {
        return quartz(() -> scheduler.checkExists(SyncListSchedules.jobKey(tenant)));
    }

    private Trigger trigger(TenantId tenant) {
        return quartz(() -> scheduler.getTrigger(TriggerKey.triggerKey(tenant.value(), SyncListSchedules.GROUP)));
    }

    /** The tenant's push runs as "owner app kind mode trigger status [item ids]", by owner and app. */
    private List<String> pushRuns(TenantId tenant) throws Exception {
        List<String> runs = new ArrayList<>();
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
             var rs = c.createStatement().executeQuery("SELECT owner, app_key, kind, mode, trigger, status,"
                     + " (SELECT string_agg(i, ',' ORDER BY i) FROM jsonb_array_elements_text(request->'ids') i)"
                     + " FROM tributary.sync_runs WHERE tenant_id = '" + tenant.value() + "' ORDER BY owner, app_key")) {
            while (rs.next()) {
                runs.add(String.join(" ", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), "[" + rs.getString(7) + "]"));
            }
        }
        return runs;
    }

    private static String ids(UUID... ids) {
        return "[" + String.join(",", Arrays.stream(ids).map(UUID::toString).sorted().toList()) + "]";
    }

    @Test
    void theScheduleIsStoredWithADstCorrectCronTriggerInItsZone() throws Exception {
        var stored = schedules.put(ACME, CronSchedule.parse("30 2 * * *", "America/Toronto"), true);
        assertEquals("30 2 * * * America/Toronto true", stored.cron() + " " + stored.timezone() + " " + stored.enabled());
        assertEquals(stored, schedules.get(ACME).orElseThrow());

        var trigger = trigger(ACME);
        DstCronTrigger dst = assertInstanceOf(DstCronTrigger.class, trigger);
        assertEquals(ZoneId.of("America/Toronto"), dst.getTimeZone().toZoneId());
        ZonedDateTime next = trigger.getNextFireTime().toInstant().atZone(ZoneId.of("America/Toronto"));
        assertEquals("02:30", next.toLocalTime().toString(), next.toString());
        assertEquals("DST_CRON", database.queryText("SELECT trigger_type FROM tributary.qrtz_triggers"
                + " WHERE trigger_group = 'sync-list-schedules' AND trigger_name = 'acme'"));
        assertFalse(scheduled(GLOBEX), "each tenant has its own");

        schedules.put(ACME, CronSchedule.parse("0 */6 * * *", "UTC"), true);
        var replaced = trigger(ACME);
        assertEquals(0, replaced.getNextFireTime().toInstant().atZone(ZoneId.of("UTC")).getHour() % 6);
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.qrtz_triggers"
                + " WHERE trigger_group = 'sync-list-schedules'"));
    }

    @Test
    void aDisabledScheduleIsKeptWithoutATriggerAndADeletedOneLeavesNeither() throws Exception {
        schedules.put(ACME, CronSchedule.parse("0 6 * * 1-5", "Europe/Paris"), true);
        assertTrue(scheduled(ACME));

        var disabled = schedules.put(ACME, CronSchedule.parse("0 6 * * 1-5", "Europe/Paris"), false);
        assertFalse(disabled.enabled());
        assertFalse(scheduled(ACME));
        assertEquals(1, database.queryLong("SELECT count(*) FROM tributary.sync_list_schedule"));

        schedules.put(ACME, CronSchedule.parse("0 6 * * 1-5", "Europe/Paris"), true);
        assertTrue(schedules.delete(ACME));
        assertFalse(scheduled(ACME));
        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.sync_list_schedule"));
        assertFalse(schedules.delete(ACME), "nothing left to delete");
    }

    @Test
    void aFiringQueuesOneDeltaPushPerOwnerAndTargetAppWithThatOwnersActiveItems() throws Exception {
        UUID alice1 = item(ACME, ALICE, "crm", true);
        UUID alice2 = item(ACME, ALICE, "crm", true);
        item(ACME, ALICE, "crm", false); // inactive: not pushed
        UUID aliceHelpdesk = item(ACME, ALICE, "helpdesk", true);
        UUID bob = item(ACME, BOB, "crm", true);
        item(GLOBEX, ALICE, "crm", true); // another tenant's, with no schedule of its own
        schedules.put(ACME, CronSchedule.parse("0 6 * * *", "UTC"), true);

        fire(ACME);

        await().atMost(Duration.ofSeconds(30)).until(() -> pushRuns(ACME).size() == 3);
        assertEquals(List.of(
                BOB + " crm push delta schedule queued " + ids(bob),
                ALICE + " crm push delta schedule queued " + ids(alice1, alice2),
                ALICE + " helpdesk push delta schedule queued " + ids(aliceHelpdesk)), pushRuns(ACME));
        assertEquals(List.of(), pushRuns(GLOBEX));
    }

    @Test
    void aDisabledTenantsScheduleQueuesNothing() throws Exception {
        item(ACME, ALICE, "crm", true);
        schedules.put(ACME, CronSchedule.parse("0 6 * * *", "UTC"), true);
        database.execute("UPDATE tributary.tenants SET disabled_at = now() WHERE id = 'acme'");

        fire(ACME);
        // The firing has run once its one-shot trigger is gone (Quartz deletes it when the job is done) and
        // nothing is executing: only the cron trigger is left.
        await().atMost(Duration.ofSeconds(30)).until(() -> database.queryLong("SELECT count(*)"
                + " FROM tributary.qrtz_triggers WHERE trigger_group = 'sync-list-schedules'") == 1
                && database.queryLong("SELECT count(*) FROM tributary.qrtz_fired_triggers") == 0);
        assertEquals(List.of(), pushRuns(ACME));

        database.execute("UPDATE tributary.tenants SET disabled_at = NULL WHERE id = 'acme'");
        fire(ACME);
        await().atMost(Duration.ofSeconds(30)).until(() -> pushRuns(ACME).size() == 1);
    }
}
