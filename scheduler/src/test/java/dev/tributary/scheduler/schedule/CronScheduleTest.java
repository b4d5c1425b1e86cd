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
}
