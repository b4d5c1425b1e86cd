package dev.tributary.scheduler.schedule;

import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerUtils;
import org.quartz.spi.OperableTrigger;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Fire times of app schedules across clock changes, with Vixie cron's rules: a fixed-time
 * schedule whose time is skipped fires when the clocks change, and once in a repeated hour;
 * a wildcard schedule has no firings in a skipped hour and fires in both passes of a repeated one.
 * America/Toronto 2026: forward at 02:00 EST on 8 March (07:00Z), back at 02:00 EDT on 1 November
 * (06:00Z). Australia/Lord_Howe 2026 moves by 30 minutes: back at 02:00 +11:00 on 5 April
 * (4 April 15:00Z, 01:30-02:00 repeats), forward at 02:00 +10:30 on 4 October (3 October 15:30Z,
 * 02:00-02:30 is skipped).
 */
class DstCronTriggerTest {

    /** Fire times in [from, to] of the app schedule {@code cron} in {@code zone}. */
    private static List<String> fireTimes(String cron, String zone, String from, String to) throws Exception {
        CronTrigger trigger = TriggerBuilder.newTrigger().withSchedule(CronSchedule.parse(cron, zone).quartzSchedule())
                .startAt(Date.from(Instant.parse(from))).build();
        return TriggerUtils.computeFireTimesBetween((OperableTrigger) trigger, null, Date.from(Instant.parse(from)),
                Date.from(Instant.parse(to))).stream().map(d -> d.toInstant().toString()).toList();
    }

    @Test
    void appSchedulesAreDstCronTriggers() throws Exception {
        assertInstanceOf(DstCronTrigger.class, TriggerBuilder.newTrigger()
                .withSchedule(CronSchedule.parse("0 6 * * *", "America/Toronto").quartzSchedule()).build());
    }

    @Test
    void aDailyTimeTheClocksSkipFiresWhenTheyChangeThatDay() throws Exception {
        // 02:30 on 8 March does not exist: the run is at 03:00 EDT, the instant the clocks go forward.
        assertEquals(List.of("2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"),
                fireTimes("30 2 * * *", "America/Toronto", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z"));
        // Two skipped times are one run, not two at the same instant.
        assertEquals(List.of("2026-03-07T07:00:00Z", "2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z",
                        "2026-03-09T06:00:00Z", "2026-03-09T06:30:00Z"),
                fireTimes("0,30 2 * * *", "America/Toronto", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z"));
    }

    @Test
    void aDailyTimeThatHappensTwiceFiresOnceAtItsFirstOccurrence() throws Exception {
        // 01:30 on 1 November is 05:30Z (EDT) and 06:30Z (EST): only the first.
        assertEquals(List.of("2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
                fireTimes("30 1 * * *", "America/Toronto", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z"));
    }

    @Test
    void anHourlyScheduleFiresEveryHourThatExists() throws Exception {
        // Forward: 00:00, 01:00 EST, then 03:00 EDT; 02:00 never happened.
        assertEquals(List.of("2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z",
                        "2026-03-08T08:00:00Z"),
                fireTimes("0 * * * *", "America/Toronto", "2026-03-08T04:30:00Z", "2026-03-08T08:30:00Z"));
        // Back: 00:00 EDT, 01:00 EDT, 01:00 EST, 02:00 EST: every real hour, none missing.
        assertEquals(List.of("2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z",
                        "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"),
                fireTimes("0 * * * *", "America/Toronto", "2026-11-01T03:30:00Z", "2026-11-01T08:30:00Z"));
    }

    @Test
    void everyQuarterHourSkipsTheMissingHourAndFiresThroughBothPassesOfTheRepeatedOne() throws Exception {
        // 01:30, 01:45 EST, then 03:00 EDT: nothing at 02:xx, which did not happen.
        assertEquals(List.of("2026-03-08T06:30:00Z", "2026-03-08T06:45:00Z", "2026-03-08T07:00:00Z",
                        "2026-03-08T07:15:00Z"),
                fireTimes("*/15 * * * *", "America/Toronto", "2026-03-08T06:30:00Z", "2026-03-08T07:15:00Z"));
        // 01:00 to 01:45 EDT, then 01:00 to 01:45 EST, then 02:00 EST: every 15 minutes of real time.
        List<String> back = fireTimes("*/15 * * * *", "America/Toronto", "2026-11-01T04:45:00Z", "2026-11-01T07:00:00Z");
        assertEquals(10, back.size(), back.toString());
        for (int i = 0; i < back.size(); i++) {
            assertEquals(Instant.parse("2026-11-01T04:45:00Z").plusSeconds(900L * i).toString(), back.get(i), back.toString());
        }
    }

    @Test
    void aWildcardMinuteInAFixedHourIsAWildcardSchedule() throws Exception {
        // Vixie cron: "fixed time" needs both the minute and the hour fixed. Every quarter of 02:xx has no
        // firing on 8 March, and fires in both passes of 01:xx on 1 November.
        List<String> spring = fireTimes("*/15 2 * * *", "America/Toronto", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z");
        assertEquals(List.of("2026-03-07T07:00:00Z", "2026-03-07T07:15:00Z", "2026-03-07T07:30:00Z",
                "2026-03-07T07:45:00Z", "2026-03-09T06:00:00Z", "2026-03-09T06:15:00Z", "2026-03-09T06:30:00Z",
                "2026-03-09T06:45:00Z"), spring);
        List<String> fall = fireTimes("0,30 1 * * *", "America/Toronto", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z");
        assertEquals(List.of("2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z"), fall, "fixed: the first pass only");
        assertEquals(List.of("2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z",
                        "2026-11-01T06:30:00Z"),
                fireTimes("*/30 1 * * *", "America/Toronto", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"));
    }

    @Test
    void aThirtyMinuteShiftFollowsTheSameRules() throws Exception {
        String lordHowe = "Australia/Lord_Howe";
        // Forward on 4 October: 02:15 is skipped and fires at the change (02:30 +11:00, 15:30Z).
        assertEquals(List.of("2026-10-02T15:45:00Z", "2026-10-03T15:30:00Z", "2026-10-04T15:15:00Z"),
                fireTimes("15 2 * * *", lordHowe, "2026-10-02T00:00:00Z", "2026-10-05T00:00:00Z"));
        // Hourly: 00:00 and 01:00 +10:30, no 02:00, then 03:00 +11:00.
        assertEquals(List.of("2026-10-03T13:30:00Z", "2026-10-03T14:30:00Z", "2026-10-03T16:00:00Z"),
                fireTimes("0 * * * *", lordHowe, "2026-10-03T13:00:00Z", "2026-10-03T16:30:00Z"));
        // Back on 5 April: 01:45 happens at 14:45Z (+11:00) and 15:15Z (+10:30); a daily 01:45 fires at the first.
        assertEquals(List.of("2026-04-03T14:45:00Z", "2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z"),
                fireTimes("45 1 * * *", lordHowe, "2026-04-03T00:00:00Z", "2026-04-06T00:00:00Z"));
        // Every quarter hour keeps firing every 15 minutes through both passes of 01:30-02:00.
        assertEquals(List.of("2026-04-04T14:30:00Z", "2026-04-04T14:45:00Z", "2026-04-04T15:00:00Z",
                        "2026-04-04T15:15:00Z", "2026-04-04T15:30:00Z"),
                fireTimes("*/15 * * * *", lordHowe, "2026-04-04T14:30:00Z", "2026-04-04T15:30:00Z"));
    }

    @Test
    void aZoneWithoutDstFiresAtTheSameInstantEveryDay() throws Exception {
        // Asia/Tokyo is +09:00 all year; North America's change on 8 March does not move it.
        assertEquals(List.of("2026-03-06T17:30:00Z", "2026-03-07T17:30:00Z", "2026-03-08T17:30:00Z",
                        "2026-03-09T17:30:00Z"),
                fireTimes("30 2 * * *", "Asia/Tokyo", "2026-03-06T00:00:00Z", "2026-03-10T00:00:00Z"));
        assertEquals(24, fireTimes("0 * * * *", "Asia/Tokyo", "2026-03-08T00:00:00Z", "2026-03-08T23:59:00Z").size());
    }

    @Test
    void weekdaySchedulesKeepTheirLocalTimeAndSundaysInTheGapFireAtTheChange() throws Exception {
        List<String> weekdays = fireTimes("0 6 * * 1-5", "America/Toronto", "2026-03-05T00:00:00Z", "2026-03-10T23:00:00Z");
        assertEquals(List.of("2026-03-05T11:00:00Z", "2026-03-06T11:00:00Z", "2026-03-09T10:00:00Z",
                "2026-03-10T10:00:00Z"), weekdays);
        weekdays.forEach(fire -> assertEquals(LocalTime.of(6, 0),
                Instant.parse(fire).atZone(ZoneId.of("America/Toronto")).toLocalTime()));
        assertEquals(List.of("2026-03-01T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-15T06:30:00Z"),
                fireTimes("30 2 * * 0", "America/Toronto", "2026-03-01T00:00:00Z", "2026-03-16T00:00:00Z"));
    }

    @Test
    void theNextFiringAfterAnInstantInsideTheRepeatedHourIsTheNextRealOne() throws Exception {
        CronTrigger trigger = (CronTrigger) TriggerBuilder.newTrigger()
                .withSchedule(CronSchedule.parse("0 * * * *", "America/Toronto").quartzSchedule())
                .startAt(Date.from(Instant.parse("2026-10-01T00:00:00Z"))).build();
        // 01:50 EDT: next is 01:00 EST (06:00Z), ten minutes later, not 02:00 EST.
        assertEquals(Instant.parse("2026-11-01T06:00:00Z"),
                trigger.getFireTimeAfter(Date.from(Instant.parse("2026-11-01T05:50:00Z"))).toInstant());
        // 01:10 EST: next is 02:00 EST (07:00Z).
        assertEquals(Instant.parse("2026-11-01T07:00:00Z"),
                trigger.getFireTimeAfter(Date.from(Instant.parse("2026-11-01T06:10:00Z"))).toInstant());
    }
}
