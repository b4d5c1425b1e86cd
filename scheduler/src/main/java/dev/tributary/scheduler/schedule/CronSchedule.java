package dev.tributary.scheduler.schedule;

import com.cronutils.mapper.CronMapper;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
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
        if (cron.strip().split("\\s+").length != 5) {
            throw new InvalidSchedule("cron", "must have 5 fields: minute hour day-of-month month day-of-week");
        }
        try {
            UNIX.parse(cron.strip()).validate();
        } catch (RuntimeException e) { // cron-utils refuses with IllegalArgumentException, and more on odd input
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
        CronSchedule schedule = new CronSchedule(cron.strip(), zone);
        schedule.checkFires();
        return schedule;
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
            // Vixie cron fires on the days either day field matches; a Quartz cron cannot say "either", and
            // the refusal would quote Quartz's form of the cron rather than the caller's.
            throw new InvalidSchedule("cron", restrictsBothDays() ? "cannot restrict both the day of the month and"
                    + " the day of the week; make one of them *" : "cannot be scheduled: " + e.getMessage());
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

    private boolean restrictsBothDays() {
        Cron unix = UNIX.parse(cron);
        return !(unix.retrieve(CronFieldName.DAY_OF_MONTH).getExpression() instanceof Always)
                && !(unix.retrieve(CronFieldName.DAY_OF_WEEK).getExpression() instanceof Always);
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
