package dev.tributary.api;

import dev.tributary.connector.testkit.FakeSaasServer;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.impl.triggers.CronTriggerImpl;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Apps' schedules across America/Toronto's 2026 clock changes (forward at 02:00 on
 * 8 March, back at 02:00 on 1 November), read from the cron triggers Quartz stored for apps
 * created through the API: each trigger as stored (its cron expression and zone), its fire
 * times computed by Quartz from a start before the change — those days are past, so the
 * stored triggers' own next fire times lie beyond them; the 2027 changes are checked on
 * those stored next fire times directly.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppScheduleDstTest implements TestPropertyProvider {

    static final String ADMIN_KEY = "admin-key-for-dst-tests-00000001";
    static final ZoneId TORONTO = ZoneId.of("America/Toronto");

    @Inject
    EmbeddedServer server;

    @Inject
    Scheduler scheduler;

    @Inject
    TransactionOperations<Connection> transactions;

    private TestDatabase database;
    private final FakeSaasServer saas = FakeSaasServer.start().putMany("items", "item", 1);
    private String acmeAdmin;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.freshDatabase();
        return ServiceSettings.of(database, ADMIN_KEY).localSources()
                .noWorker() // the triggers are read, never fired
                .properties();
    }

    @BeforeAll
    void tenantKeyAndApps() {
        HttpProbe http = new HttpProbe(server.getURI());
        http.createTenant(ADMIN_KEY, "acme");
        acmeAdmin = http.createApiKey(ADMIN_KEY, "acme", "sync:admin");
        for (var app : Map.of("daily-0230", "30 2 * * *", "daily-0130", "30 1 * * *", "hourly", "0 * * * *",
                "spring-2027", "30 2 14 3 *", "fall-2027", "30 1 7 11 *").entrySet()) {
            var response = http.send("POST", "/api/apps", "{\"app_key\": \"" + app.getKey() + "\","
                            + " \"connector\": \"http-json\", \"name\": \"n\", \"config\": {\"base_url\": \"" + saas.baseUri()
                            + "\", \"auth\": {\"type\": \"none\"}, \"collections\": [{\"collection_key\": \"items\","
                            + " \"path\": \"items\"}]}, \"schedule\": {\"cron\": \"" + app.getValue()
                            + "\", \"timezone\": \"America/Toronto\"}}",
                    "Authorization", "Bearer " + acmeAdmin, "X-Tenant-ID", "acme", "Content-Type", "application/json");
            assertEquals(201, response.statusCode(), response.body());
        }
    }

    @AfterAll
    void stopSaas() {
        saas.close();
    }

    @Test
    void aDailyScheduleInTheRepeatedHourFiresOnceAtThatLocalTime() throws Exception {
        List<Instant> fires = fireTimes("daily-0130", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z");
        assertEquals(3, fires.size(), fires.toString());
        for (Instant fire : fires) {
            assertEquals(LocalTime.of(1, 30), fire.atZone(TORONTO).toLocalTime(), fires.toString());
        }
        assertEquals(List.of(LocalDate.of(2026, 10, 31), LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 2)),
                fires.stream().map(fire -> fire.atZone(TORONTO).toLocalDate()).toList());

        Instant stored = storedNextFireTime("fall-2027"); // 1:30 on 7 November 2027 happens twice too
        assertEquals(LocalDate.of(2027, 11, 7), stored.atZone(TORONTO).toLocalDate(), stored.toString());
        assertEquals(LocalTime.of(1, 30), stored.atZone(TORONTO).toLocalTime(), stored.toString());
    }

    @Test
    void anHourlyScheduleFiresEveryHourThatExistsWhenTheClocksGoForward() throws Exception {
        List<Instant> fires = fireTimes("hourly", "2026-03-08T04:30:00Z", "2026-03-08T09:30:00Z");
        // 23:00 EST on the 7th (04:00Z) is before the window; then 00:00, 01:00 EST, 03:00, 04:00, 05:00 EDT.
        assertEquals(List.of("2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z",
                "2026-03-08T08:00:00Z", "2026-03-08T09:00:00Z"), fires.stream().map(Instant::toString).toList());
        assertEquals(List.of(0, 1, 3, 4, 5), fires.stream().map(fire -> fire.atZone(TORONTO).getHour()).toList());
    }

    /*
     * Quartz's own CronTrigger got the next two wrong: a daily 02:30 skipped 8 March 2026 altogether (7 March
     * 07:30Z, then 9 March 06:30Z), the 2027 one-off "30 2 14 3 *" was stored to fire on 14 March 2028, and an
     * hourly schedule fired at 04:00Z and then 06:00Z on 1 November 2026: the first 01:00 (05:00Z) never fired.
     * App schedules are DstCronTriggers now, which follow Vixie cron's rules.
     */

    @Test
    void aDailyScheduleInTheSkippedHourStillFiresThatDayJustAfterTheChange() throws Exception {
        List<Instant> fires = fireTimes("daily-0230", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z");
        assertEquals(List.of(LocalDate.of(2026, 3, 7), LocalDate.of(2026, 3, 8), LocalDate.of(2026, 3, 9)),
                fires.stream().map(fire -> fire.atZone(TORONTO).toLocalDate()).toList(), fires.toString());
        Instant changeDay = fires.get(1);
        assertTrue(!changeDay.isBefore(Instant.parse("2026-03-08T07:00:00Z"))
                && changeDay.isBefore(Instant.parse("2026-03-08T08:00:00Z")), "in the hour after the gap: " + changeDay);

        Instant stored = storedNextFireTime("spring-2027");
        assertEquals(LocalDate.of(2027, 3, 14), stored.atZone(TORONTO).toLocalDate(), stored.toString());
    }

    @Test
    void anHourlyScheduleFiresEveryHourWhenTheClocksGoBack() throws Exception {
        List<Instant> fires = fireTimes("hourly", "2026-11-01T03:30:00Z", "2026-11-01T08:30:00Z");
        // 00:00 EDT, 01:00 EDT, 01:00 EST, 02:00 EST, 03:00 EST: one hour apart, none missing.
        assertEquals(List.of("2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z",
                "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"), fires.stream().map(Instant::toString).toList());
    }

    /** The app's trigger as Quartz stored it. */
    private CronTrigger stored(String appKey) {
        return new StoredTriggers(scheduler, transactions).cron("acme/" + appKey, "app-schedules");
    }

    /** When the stored trigger fires next, as stored in qrtz_triggers. */
    private Instant storedNextFireTime(String appKey) throws Exception {
        long millis = database.queryLong("SELECT next_fire_time FROM tributary.qrtz_triggers"
                + " WHERE trigger_name = 'acme/" + appKey + "'");
        assertEquals(stored(appKey).getNextFireTime().getTime(), millis);
        return Instant.ofEpochMilli(millis);
    }

    /** The stored trigger's fire times in [from, to), as Quartz computes them had it started at {@code from}. */
    private List<Instant> fireTimes(String appKey, String from, String to) {
        CronTrigger stored = stored(appKey);
        assertEquals(TORONTO.getId(), stored.getTimeZone().getID());
        CronTriggerImpl trigger = (CronTriggerImpl) ((CronTriggerImpl) stored).clone();
        trigger.setStartTime(Date.from(Instant.parse(from)));
        List<Instant> fires = new ArrayList<>();
        Date next = trigger.getFireTimeAfter(Date.from(Instant.parse(from).minus(Duration.ofSeconds(1))));
        while (next != null && next.toInstant().isBefore(Instant.parse(to))) {
            fires.add(next.toInstant());
            next = trigger.getFireTimeAfter(next);
        }
        return fires;
    }
}
