package dev.tributary.scheduler.schedule;

import com.cronutils.mapper.CronMapper;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import org.quartz.CronExpression;
import org.quartz.CronTrigger;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app's schedule: a standard 5-field cron expression read in an IANA time zone
 * (e.g. {@code 0 6 * * 1-5} in {@code America/Toronto}), read on the zone's wall clock and
 * DST-correct as Vixie cron is ({@link DstCronTrigger}). Converts to a Quartz cron expression.
 */
public record CronSchedule(String cron, ZoneId zone) {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Instant NEVER_BEFORE = Instant.parse("2000-01-01T00:00:00Z");
    /** A day-of-week range from Sunday to Sunday ({@code 0-7}, {@code 0-7/2}): every day, or every nth. */
    private static final Pattern SUNDAY_TO_SUNDAY = Pattern.compile("0+-0*7(/\\d+)?");

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
        String[] fields = cron.strip().split("\\s+");
        if (fields.length != 5) {
            throw new InvalidSchedule("cron", "must have 5 fields: minute hour day-of-month month day-of-week");
        }
        try {
            UNIX.parse(cron.strip()).validate();
        } catch (RuntimeException e) { // cron-utils refuses with IllegalArgumentException, and more on odd input
            throw new InvalidSchedule("cron", "is not a valid cron expression: " + e.getMessage());
        }
        if (!anyDay(fields[2]) && !anyDay(fields[4])) {
            // Standard cron runs on either day; a Quartz expression, which the trigger is stored as, holds only one.
            throw new InvalidSchedule("cron", "names both a day of the month (" + fields[2] + ") and a day of the"
                    + " week (" + fields[4] + "); standard cron would run on either, which a schedule here cannot"
                    + " express: keep one of them * (" + String.join(" ", fields[0], fields[1], fields[2], fields[3], "*")
                    + " or " + String.join(" ", fields[0], fields[1], "*", fields[3], fields[4]) + ")");
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
        CronSchedule schedule = new CronSchedule(cron.strip(), zone);
        schedule.checkFires();
        return schedule;
    }

    /** Whether a day field leaves the day to the other one. */
    private static boolean anyDay(String field) {
        return field.equals("*") || field.equals("?");
    }

    /**
     * Refuses a cron that Quartz could not schedule or that never fires ({@code 0 0 31 2 *}): such a
     * schedule used to pass and then fail when the trigger was stored. Five-field cron has no year,
     * so one that fires at all fires within 28 years of any date; a fixed start keeps this free of the clock.
     */
    private void checkFires() throws InvalidSchedule {
        CronExpression expression;
        try {
            expression = new CronExpression(quartzExpression());
        } catch (ParseException | RuntimeException e) {
            throw new InvalidSchedule("cron", "cannot be scheduled: " + e.getMessage());
        }
        expression.setTimeZone(TimeZone.getTimeZone(zone));
        if (expression.getNextValidTimeAfter(Date.from(NEVER_BEFORE)) == null) {
            throw new InvalidSchedule("cron", "never fires: no date matches it (e.g. the 31st of February)");
        }
    }

    /** The same schedule as a Quartz cron expression (seconds first, {@code ?} for one of the day fields). */
    public String quartzExpression() {
        Cron unix = UNIX.parse(withSundayOnce(cron));
        return CronMapper.fromUnixToQuartz().map(unix).asString();
    }

    /**
     * The cron with each day-of-week range from Sunday to Sunday ({@code 0-7}) written {@code 0-6}, the same
     * days: cron-utils renumbers both ends for Quartz (Sunday is 1 there), making {@code 0-7} Quartz's
     * {@code 1-1}, Sundays only.
     */
    private static String withSundayOnce(String cron) {
        String[] fields = cron.strip().split("\\s+");
        String[] days = fields[4].split(",", -1);
        for (int i = 0; i < days.length; i++) {
            Matcher range = SUNDAY_TO_SUNDAY.matcher(days[i]);
            if (range.matches()) {
                days[i] = "0-6" + (range.group(1) == null ? "" : range.group(1));
            }
        }
        fields[4] = String.join(",", days);
        return String.join(" ", fields);
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
