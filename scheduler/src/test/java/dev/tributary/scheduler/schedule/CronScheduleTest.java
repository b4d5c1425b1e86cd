package dev.tributary.scheduler.schedule;

import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerUtils;
import org.quartz.spi.OperableTrigger;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronScheduleTest {

    private static List<String> fireTimes(CronSchedule schedule, String from, String to) {
        CronTrigger trigger = TriggerBuilder.newTrigger().withSchedule(schedule.quartzSchedule())
                .startAt(Date.from(Instant.parse(from))).build();
        return TriggerUtils.computeFireTimesBetween((OperableTrigger) trigger, null, Date.from(Instant.parse(from)),
                Date.from(Instant.parse(to))).stream().map(d -> d.toInstant().toString()).toList();
    }

    @Test
    void weekdaysAtSixInTorontoStayAtSixLocalAcrossBoth2026DstChanges() throws Exception {
        var schedule = CronSchedule.parse("0 6 * * 1-5", "America/Toronto");
        // Clocks go forward on Sunday 8 March 2026: 06:00 is 11:00Z on Friday, 10:00Z on Monday.
        assertEquals(List.of("2026-03-05T11:00:00Z", "2026-03-06T11:00:00Z", "2026-03-09T10:00:00Z",
                "2026-03-10T10:00:00Z"), fireTimes(schedule, "2026-03-05T00:00:00Z", "2026-03-10T23:00:00Z"));
        // Clocks go back on Sunday 1 November 2026: 10:00Z on Friday, 11:00Z on Monday.
        assertEquals(List.of("2026-10-29T10:00:00Z", "2026-10-30T10:00:00Z", "2026-11-02T11:00:00Z",
                "2026-11-03T11:00:00Z"), fireTimes(schedule, "2026-10-29T00:00:00Z", "2026-11-03T23:00:00Z"));
    }

    @Test
    void aMisfiredTriggerFiresOnceThenKeepsToItsSchedule() throws Exception {
        CronTrigger trigger = TriggerBuilder.newTrigger()
                .withSchedule(CronSchedule.parse("*/5 * * * *", "UTC").quartzSchedule()).build();
        assertEquals(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW, trigger.getMisfireInstruction());
    }

    @Test
    void badSchedulesNameTheirField() {
        assertEquals("cron", assertThrows(CronSchedule.InvalidSchedule.class,
                () -> CronSchedule.parse("0 6 * *", "America/Toronto")).field());
        assertEquals("cron", assertThrows(CronSchedule.InvalidSchedule.class,
                () -> CronSchedule.parse("61 6 * * *", "America/Toronto")).field());
        assertEquals("timezone", assertThrows(CronSchedule.InvalidSchedule.class,
                () -> CronSchedule.parse("0 6 * * *", "Mars/Olympus")).field());
        assertEquals("timezone", assertThrows(CronSchedule.InvalidSchedule.class,
                () -> CronSchedule.parse("0 6 * * *", "+05:00")).field());
    }

    @Test
    void aCronThatNeverFiresIsRefusedNamingTheCron() {
        for (String never : List.of("0 0 31 2 *", "0 0 30 2 *", "0 0 31 4 *", "0 0 31 6,9,11 *")) {
            var error = assertThrows(CronSchedule.InvalidSchedule.class, () -> CronSchedule.parse(never, "UTC"), never);
            assertEquals("cron", error.field());
            assertTrue(error.getMessage().contains("never fires"), error.getMessage());
        }
    }

    @Test
    void aCronNamingBothDayFieldsIsRefusedSayingWhatToWriteInstead() throws Exception {
        for (String both : List.of("0 0 1,15 * 1", "30 6 1 * 1-5", "0 0 */2 * 0", "0 0 1-31 * 1-5", "0 0 */5 * */2",
                "30 6 13 * FRI")) {
            var error = assertThrows(CronSchedule.InvalidSchedule.class, () -> CronSchedule.parse(both, "UTC"), both);
            assertEquals("cron", error.field());
            assertTrue(error.getMessage().startsWith("names both a day of the month"), error.getMessage());
        }
        assertTrue(assertThrows(CronSchedule.InvalidSchedule.class, () -> CronSchedule.parse("30 6 1 * 1-5", "UTC"))
                .getMessage().endsWith("keep one of them * (30 6 1 * * or 30 6 * * 1-5)"));
        CronSchedule.parse("0 0 1,15 * *", "UTC").quartzSchedule();
        CronSchedule.parse("0 0 * * 1", "UTC").quartzSchedule();
    }

    @Test
    void aCronThatFiresRarelyIsStillASchedule() throws Exception {
        var leapDay = CronSchedule.parse("0 0 29 2 *", "UTC");
        assertEquals(List.of("2028-02-29T00:00:00Z"), fireTimes(leapDay, "2026-01-01T00:00:00Z", "2029-01-01T00:00:00Z"));
    }

    @Test
    void aWholeWeekFromSundayToSundayIsEveryDayNotSundaysOnly() throws Exception {
        // 1 to 8 March 2026: Sunday to Sunday. 0 and 7 both name Sunday, so 0-7 is every day and 0-7/2 every other.
        assertEquals(List.of("2026-03-01T06:00:00Z", "2026-03-02T06:00:00Z", "2026-03-03T06:00:00Z", "2026-03-04T06:00:00Z",
                "2026-03-05T06:00:00Z", "2026-03-06T06:00:00Z", "2026-03-07T06:00:00Z", "2026-03-08T06:00:00Z"),
                fireTimes(CronSchedule.parse("0 6 * * 0-7", "UTC"), "2026-03-01T00:00:00Z", "2026-03-08T23:00:00Z"));
        assertEquals(List.of("2026-03-01T06:00:00Z", "2026-03-03T06:00:00Z", "2026-03-05T06:00:00Z", "2026-03-07T06:00:00Z",
                "2026-03-08T06:00:00Z"),
                fireTimes(CronSchedule.parse("0 6 * * 0-7/2", "UTC"), "2026-03-01T00:00:00Z", "2026-03-08T23:00:00Z"));
        assertEquals(List.of("2026-03-01T06:00:00Z", "2026-03-03T06:00:00Z", "2026-03-04T06:00:00Z", "2026-03-07T06:00:00Z",
                "2026-03-08T06:00:00Z"),
                fireTimes(CronSchedule.parse("0 6 * * 3,00-07/6,2", "UTC"), "2026-03-01T00:00:00Z", "2026-03-08T23:00:00Z"));
    }

    @Test
    void oddExpressionsAreEitherASchedulesOrARefusalNamingAField() {
        List<String> odd = List.of("*/0 * * * *", "0-59/0 * * * *", "* * * * 8", "* * * * 7", "* * 0 * *", "* * 32 * *",
                "* * * 13 *", "* * * 0 *", "99999999999999999999 * * * *", "-1 * * * *", "1-0 * * * *", "59-1 * * * *",
                "* * L * *", "* * * * 1#6", "* * ? * ?", "@yearly", "* * * * MON-SUN", "* * * JAN-DEC *", "*/ * * * *",
                ", * * * *", "0 0 1 * 1", "0 0 31 2 1", "\u0000 * * * *", "* * * * *\n", "٣ * * * *", "1,,2 * * * *");
        for (String cron : odd) {
            try {
                CronSchedule.parse(cron, "Europe/Paris").quartzSchedule();
            } catch (CronSchedule.InvalidSchedule e) {
                assertEquals("cron", e.field(), cron);
            }
        }
    }
}
