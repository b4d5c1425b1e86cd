package dev.tributary.scheduler.schedule;

import org.quartz.CronTrigger;

import java.util.TimeZone;

import com.cronutils.mapper.CronMapper;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * An app's schedule: a standard 5-field cron expression read in an IANA time zone
 * (e.g. {@code 0 6 * * 1-5} in {@code America/Toronto}), read on the zone's wall clock and
 * DST-correct as Vixie cron is ({@link DstCronTrigger}). Converts to a Quartz cron expression.
 */
public record CronSchedule(String cron, ZoneId zone) {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** Thrown with a message fit to show the caller. */
    public static final class InvalidSchedule extends Exception {
        private final String field;

        InvalidSchedule(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static CronSchedule parse(String cron, String timezone) throws InvalidSchedule {
        if (cron == null || cron.isBlank()) {
            throw new InvalidSchedule("cron", "is required");
        }
        if (cron.strip().split("\\s+").length != 5) {
            throw new InvalidSchedule("cron", "must have 5 fields: minute hour day-of-month month day-of-week");
        }
        try {
            UNIX.parse(cron.strip()).validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidSchedule("cron", "is not a valid cron expression: " + e.getMessage());
        }
        if (timezone == null || timezone.isBlank()) {
            throw new InvalidSchedule("timezone", "is required (an IANA zone such as America/Toronto)");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new InvalidSchedule("timezone", "must be an IANA zone such as America/Toronto");
        }
        if (zone instanceof ZoneOffset || !ZoneId.getAvailableZoneIds().contains(timezone)) {
            throw new InvalidSchedule("timezone", "must be an IANA zone such as America/Toronto, not an offset");
        }
        return new CronSchedule(cron.strip(), zone);
    }

    /** The same schedule as a Quartz cron expression (seconds first, {@code ?} for one of the day fields). */
    public String quartzExpression() {
        Cron unix = UNIX.parse(cron);
        return CronMapper.fromUnixToQuartz().map(unix).asString();
    }

    /**
     * The Quartz schedule of this cron in its zone, DST-correct ({@link DstCronTrigger}). A trigger
     * that misfired (the cluster was down through one or more slots) fires once on recovery, then
     * keeps to the schedule.
     */
    public DstCronScheduleBuilder quartzSchedule() {
        return new DstCronScheduleBuilder(quartzExpression(), TimeZone.getTimeZone(zone),
                CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW);
    }
}
