package dev.tributary.scheduler;

import io.micronaut.transaction.TransactionOperations;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("cluster")
class QuartzClusterTest {

    /** Which node ran each job; static because Quartz instantiates jobs itself. */
    static final Map<String, ConcurrentLinkedQueue<String>> RUNS = new ConcurrentHashMap<>();

    public static class RecordingJob implements Job {
        @Override
        public void execute(JobExecutionContext context) throws org.quartz.JobExecutionException {
            try {
                RUNS.computeIfAbsent(context.getJobDetail().getKey().getName(), k -> new ConcurrentLinkedQueue<>())
                        .add(context.getScheduler().getSchedulerInstanceId());
            } catch (org.quartz.SchedulerException e) {
                throw new org.quartz.JobExecutionException(e);
            }
        }
    }

    private static TestDatabase database;
    private static final List<ApplicationContext> nodes = new ArrayList<>();

    @BeforeAll
    static void startTwoNodes() {
        database = TestPostgres.freshDatabase();
        for (String node : List.of("node-a", "node-b")) {
            Map<String, Object> properties = NodeSettings.on(database);
            properties.put("tributary.scheduler.node-id", node);
            properties.put("tributary.scheduler.worker", "true");
            properties.put("tributary.scheduler.threads", "4");
            properties.put("tributary.scheduler.checkin-interval", "1000");
            nodes.add(ApplicationContext.run(properties));
        }
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(ApplicationContext::close);
    }

    @Test
    void bothNodesCheckIntoTheCluster() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> checkedIn().containsAll(Set.of("node-a", "node-b")));
    }

    @Test
    void eachTriggerFiresOnExactlyOneNode() throws Exception {
        Scheduler enqueuer = nodes.get(0).getBean(Scheduler.class);
        int jobs = 40;
        for (int i = 0; i < jobs; i++) {
            int n = i;
            inTransaction(nodes.get(0), () -> enqueuer.scheduleJob(
                    JobBuilder.newJob(RecordingJob.class).withIdentity("job-" + n, "test").requestRecovery().build(),
                    TriggerBuilder.newTrigger().withIdentity("trigger-" + n, "test").startNow().build()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                RUNS.keySet().stream().filter(job -> job.startsWith("job-")).count() == jobs);
        // Give a duplicate firing the time to show up before counting.
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        RUNS.forEach((job, ranOn) -> assertEquals(1, ranOn.size(), job + " ran on " + ranOn)); // any job, once
    }

    @Test
    void aScheduleThatMissedSlotsWhileTheClusterWasDownFiresOnceNotOncePerSlot() throws Exception {
        Scheduler scheduler = nodes.get(0).getBean(Scheduler.class);
        // Hourly, half an hour from now's minute, in effect since ten hours ago: ten slots were missed,
        // and the next regular one is about 30 minutes away, well after this test.
        int minute = (java.time.LocalTime.now(java.time.ZoneOffset.UTC).getMinute() + 30) % 60;
        var schedule = dev.tributary.scheduler.schedule.CronSchedule.parse(minute + " * * * *", "UTC").quartzSchedule();
        inTransaction(nodes.get(0), () -> scheduler.scheduleJob(
                JobBuilder.newJob(RecordingJob.class).withIdentity("missed-slots", "misfire").build(),
                TriggerBuilder.newTrigger().withIdentity("missed-slots", "misfire").withSchedule(schedule)
                        .startAt(java.util.Date.from(java.time.Instant.now().minus(Duration.ofHours(10)))).build()));
        // Quartz catches misfired triggers up every misfire threshold (60 s), not at once.
        await().atMost(Duration.ofSeconds(90)).until(() -> RUNS.containsKey("missed-slots"));
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true); // any catch-up firing would show by now
        assertEquals(1, RUNS.get("missed-slots").size(), "fired once for the missed slots: " + RUNS.get("missed-slots"));
        long next = ownerCount("SELECT next_fire_time FROM tributary.qrtz_triggers WHERE trigger_name = 'missed-slots'");
        assertTrue(next > System.currentTimeMillis(), "then back on schedule: " + java.time.Instant.ofEpochMilli(next));
    }

    @Test
    void aTriggerCommitsAndRollsBackWithTheTransactionThatScheduledIt() throws Exception {
        Scheduler scheduler = nodes.get(0).getBean(Scheduler.class);
        var transactions = transactions(nodes.get(0));
        var job = JobBuilder.newJob(RecordingJob.class).withIdentity("rolled-back", "atomic").build();
        var trigger = TriggerBuilder.newTrigger().withIdentity("rolled-back", "atomic")
                .startAt(java.util.Date.from(java.time.Instant.now().plusSeconds(3600))).build();
        assertThrows(IllegalStateException.class, () -> transactions.executeWrite(status -> {
            try {
                scheduler.scheduleJob(job, trigger);
            } catch (org.quartz.SchedulerException e) {
                throw new RuntimeException(e);
            }
            assertEquals(1, count(status, "SELECT count(*) FROM tributary.qrtz_triggers WHERE trigger_group = 'atomic'"));
            throw new IllegalStateException("the enqueuing request failed after scheduling");
        }));
        assertEquals(0, ownerCount("SELECT count(*) FROM tributary.qrtz_triggers WHERE trigger_group = 'atomic'"));
        assertEquals(0, ownerCount("SELECT count(*) FROM tributary.qrtz_job_details WHERE job_group = 'atomic'"));

        inTransaction(nodes.get(0), () -> scheduler.scheduleJob(job, trigger));
        assertEquals(1, ownerCount("SELECT count(*) FROM tributary.qrtz_triggers WHERE trigger_group = 'atomic'"));
    }

    private interface QuartzWork {
        void run() throws org.quartz.SchedulerException;
    }

    @SuppressWarnings("unchecked")
    private static TransactionOperations<java.sql.Connection> transactions(ApplicationContext node) {
        return node.getBean(io.micronaut.core.type.Argument.of(TransactionOperations.class, java.sql.Connection.class));
    }

    private static void inTransaction(ApplicationContext node, QuartzWork work) {
        transactions(node).executeWrite(status -> {
            try {
                work.run();
            } catch (org.quartz.SchedulerException e) {
                throw new RuntimeException(e);
            }
            return null;
        });
    }

    private static long count(io.micronaut.transaction.TransactionStatus<java.sql.Connection> status, String sql) {
        try (var s = status.getConnection().createStatement()) {
            var rs = s.executeQuery(sql);
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new RuntimeException(e);
        }
    }

    private static long ownerCount(String sql) throws Exception {
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery(sql);
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> checkedIn() throws Exception {
        try (var c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            var rs = c.createStatement().executeQuery("SELECT instance_name FROM tributary.qrtz_scheduler_state");
            Set<String> names = new HashSet<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }
}
