package dev.tributary.scheduler.schedule;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.scheduler.NodeSettings;
import dev.tributary.tenancy.TenantId;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * App schedules that an earlier version stored as Quartz's own cron triggers become
 * {@link DstCronTrigger}s when a node starts, keeping their cron, zone, misfire instruction and
 * last firing, and resuming from that firing by the DST-correct rules.
 */
@Tag("cluster")
class AppScheduleUpgradeTest {

    private static final TenantId ACME = new TenantId("acme");
    private static TestDatabase database;
    private static final List<ApplicationContext> nodes = new ArrayList<>();

    @BeforeAll
    static void database() {
        database = TestPostgres.freshDatabase();
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(ApplicationContext::close);
    }

    private static ApplicationContext startNode(String id) {
        Map<String, Object> properties = NodeSettings.on(database); // no worker: the triggers are read, never fired
        properties.put("tributary.scheduler.node-id", id);
        ApplicationContext node = ApplicationContext.run(properties);
        nodes.add(node);
        return node;
    }

    @Test
    void aStartingNodeConvertsStockCronSchedulesResumingAfterTheirLastFiring() throws Exception {
        ApplicationContext earlier = startNode("earlier-version");
        // 02:30 fired on 7 March; Quartz's own trigger then skips 8 March (02:30 does not exist that day).
        storeStockCronSchedule(earlier, "daily-0230", "30 2 * * *", "2026-03-07T07:30:00Z", null);
        // Hourly, last fired at 01:00 EDT on 1 November; the next real hour is 01:00 EST (06:00Z).
        storeStockCronSchedule(earlier, "hourly", "0 * * * *", "2026-11-01T05:00:00Z", null);
        // Never fired, in effect since Friday 6 March 12:00Z: first firing Monday 06:00 EDT.
        storeStockCronSchedule(earlier, "weekdays", "0 6 * * 1-5", null, "2026-03-06T12:00:00Z");
        assertEquals("2026-03-09T06:30:00Z", nextFireTime("daily-0230"), "the stock trigger skips 8 March");
        assertEquals(3, database.queryLong("SELECT count(*) FROM tributary.qrtz_triggers WHERE trigger_type = 'CRON'"));

        ApplicationContext upgraded = startNode("upgraded");

        assertEquals(0, database.queryLong("SELECT count(*) FROM tributary.qrtz_triggers WHERE trigger_type = 'CRON'"));
        assertEquals("2026-03-08T07:00:00Z", nextFireTime("daily-0230"));
        assertEquals("2026-11-01T06:00:00Z", nextFireTime("hourly"));
        assertEquals("2026-03-09T10:00:00Z", nextFireTime("weekdays"));
        for (String app : List.of("daily-0230", "hourly", "weekdays")) {
            assertEquals("DST_CRON|1", database.queryText("SELECT trigger_type || '|' || misfire_instr"
                    + " FROM tributary.qrtz_triggers WHERE trigger_name = 'acme/" + app + "'"), app);
            assertEquals("America/Toronto", database.queryText("SELECT time_zone_id FROM tributary.qrtz_cron_triggers"
                    + " WHERE trigger_name = 'acme/" + app + "'"), app);
            CronTrigger stored = stored(upgraded, app);
            assertInstanceOf(DstCronTrigger.class, stored, app);
            assertEquals(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW, stored.getMisfireInstruction(), app);
            assertEquals(AppSchedules.jobKey(ACME, app), stored.getJobKey(), app);
        }
        assertEquals(Instant.parse("2026-03-07T07:30:00Z"), stored(upgraded, "daily-0230").getPreviousFireTime().toInstant());

        assertEquals(0, upgraded.getBean(AppScheduleUpgrade.class).convertStockCronTriggers(), "nothing left to convert");
    }

    @Test
    void nodesConvertingAtOnceConvertEachScheduleOnce() throws Exception {
        ApplicationContext first = startNode("first");
        ApplicationContext second = startNode("second");
        int schedules = 150; // more than one batch
        for (int i = 0; i < schedules; i++) {
            storeStockCronSchedule(first, "many-" + i, "0 3 * * *", "2026-06-01T07:00:00Z", null);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> conversions = new ArrayList<>();
        for (ApplicationContext node : List.of(first, second)) {
            AppScheduleUpgrade upgrade = node.getBean(AppScheduleUpgrade.class);
            conversions.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return upgrade.convertStockCronTriggers();
            }));
        }
        start.countDown();
        int converted = conversions.stream().mapToInt(CompletableFuture::join).sum();

        assertEquals(schedules, converted, "each schedule converted by one node");
        assertEquals(schedules, database.queryLong("SELECT count(*) FROM tributary.qrtz_triggers"
                + " WHERE trigger_name LIKE 'acme/many-%' AND trigger_type = 'DST_CRON'"));
        assertEquals(schedules, database.queryLong("SELECT count(*) FROM tributary.qrtz_cron_triggers"
                + " WHERE trigger_name LIKE 'acme/many-%'"));
        assertEquals("2026-06-02T07:00:00Z", nextFireTime("many-7"), "03:00 EDT the day after its last firing");
    }

    /** An app schedule as earlier versions stored it: Quartz's own cron trigger, misfire "fire once". */
    private static void storeStockCronSchedule(ApplicationContext node, String appKey, String cron, String lastFired,
                                               String startedAt) throws Exception {
        CronSchedule schedule = CronSchedule.parse(cron, "America/Toronto");
        JobKey job = AppSchedules.jobKey(ACME, appKey);
        Instant start = lastFired == null ? Instant.parse(startedAt) : Instant.parse(lastFired).plusSeconds(1);
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(job.getName(), AppSchedules.GROUP)
                .forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(schedule.quartzExpression())
                        .inTimeZone(TimeZone.getTimeZone(schedule.zone()))
                        .withMisfireHandlingInstructionFireAndProceed())
                .startAt(Date.from(start))
                .build();
        if (lastFired != null) {
            ((OperableTrigger) trigger).setPreviousFireTime(Date.from(Instant.parse(lastFired)));
        }
        inTransaction(node, scheduler -> {
            scheduler.scheduleJob(JobBuilder.newJob(ScheduledSyncJob.class).withIdentity(job)
                    .usingJobData(AppSchedules.TENANT, ACME.value())
                    .usingJobData(AppSchedules.APP_KEY, appKey)
                    .usingJobData(AppSchedules.MODE, "incremental")
                    .storeDurably().build(), Set.of(trigger), true);
            return null;
        });
    }

    private static String nextFireTime(String appKey) throws Exception {
        return Instant.ofEpochMilli(database.queryLong("SELECT next_fire_time FROM tributary.qrtz_triggers"
                + " WHERE trigger_name = 'acme/" + appKey + "'")).toString();
    }

    private static CronTrigger stored(ApplicationContext node, String appKey) {
        return inTransaction(node, scheduler ->
                (CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey("acme/" + appKey, AppSchedules.GROUP)));
    }

    private interface SchedulerWork<T> {
        T run(Scheduler scheduler) throws SchedulerException;
    }

    @SuppressWarnings("unchecked")
    private static <T> T inTransaction(ApplicationContext node, SchedulerWork<T> work) {
        TransactionOperations<Connection> transactions =
                node.getBean(Argument.of(TransactionOperations.class, Connection.class));
        Scheduler scheduler = node.getBean(Scheduler.class);
        return transactions.executeWrite(status -> { // JobStoreCMT: scheduler calls join a transaction
            try {
                return work.run(scheduler);
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
