package dev.tributary.scheduler.schedule;

import org.quartz.CronExpression;
import org.quartz.CronTrigger;
import org.quartz.ScheduleBuilder;
import org.quartz.impl.triggers.CronTriggerImpl;

import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

/**
 * A Quartz cron trigger that fires as Vixie/ISC cron does across clock changes. Quartz's own
 * {@link CronTriggerImpl} skips a daily time that falls in the hour the clocks skip, and an hourly
 * schedule loses the first of the two hours that repeat. This one reads the cron on the zone's
 * wall clock and maps each matching local time to the instants it names:
 * <ul>
 * <li>a time that exists once: that instant;</li>
 * <li>a time the clocks skip: for a fixed-time schedule (neither the minute nor the hour field starts
 * with {@code *}), the instant the clocks change, so the day still gets its run; for any other
 * schedule, nothing (that minute did not happen);</li>
 * <li>a time that happens twice: for a fixed-time schedule, its first occurrence only; for any other,
 * both, so an hourly schedule fires every real hour.</li>
 * </ul>
 * Everything else (start and end times, misfire handling) is Quartz's. Stored by
 * {@link DstCronTriggerPersistenceDelegate} in {@code qrtz_cron_triggers}, as type {@code DST_CRON}.
 */
public class DstCronTrigger extends CronTriggerImpl {

    private static final long serialVersionUID = 1L;
    private static final TimeZone WALL_CLOCK = TimeZone.getTimeZone(ZoneOffset.UTC);

    /** The cron read on a clock without changes (UTC), whose instants are the zone's local date-times. */
    private record WallClock(String expression, CronExpression matches, boolean fixedTime) {

        static WallClock of(String expression) {
            CronExpression matches;
            try {
                matches = new CronExpression(expression);
            } catch (ParseException e) {
                throw new IllegalStateException("the trigger's own cron expression does not parse: " + expression, e);
            }
            matches.setTimeZone(WALL_CLOCK);
            // Quartz fields: second, minute, hour, ... Vixie cron's "fixed time": MIN_STAR and HR_STAR both unset.
            String[] fields = expression.strip().split("\\s+");
            return new WallClock(expression, matches, !fields[1].startsWith("*") && !fields[2].startsWith("*"));
        }

        LocalDateTime firstMatchFrom(LocalDateTime from) {
            return next(Date.from(from.toInstant(ZoneOffset.UTC).minusSeconds(1)));
        }

        LocalDateTime matchAfter(LocalDateTime local) {
            return next(Date.from(local.toInstant(ZoneOffset.UTC)));
        }

        private LocalDateTime next(Date after) {
            Date match = matches.getTimeAfter(after);
            return match == null ? null : LocalDateTime.ofInstant(match.toInstant(), ZoneOffset.UTC);
        }
    }

    private transient WallClock wallClock;

    @Override
    protected Date getTimeAfter(Date afterTime) {
        WallClock clock = wallClock();
        if (clock == null) {
            return null;
        }
        ZoneId zone = getTimeZone().toZoneId();
        Instant after = afterTime.toInstant();
        LocalDateTime from = LocalDateTime.ofInstant(after, zone);
        // An instant in the first pass of a repeated hour is followed by the second pass of that hour's
        // earlier local times, so the search starts where the repeated hour does.
        ZoneOffsetTransition coming = zone.getRules().nextTransition(after);
        if (coming != null && coming.isOverlap() && coming.getDateTimeAfter().isBefore(from)) {
            from = coming.getDateTimeAfter();
        }
        // Local times map to instants in order, except the second pass of a repeated hour, which comes
        // after the first pass of later times: stop at the first local time whose earliest instant is
        // after afterTime, having kept the earliest instant after it seen so far.
        Instant earliest = null;
        for (LocalDateTime local = clock.firstMatchFrom(from); local != null; local = clock.matchAfter(local)) {
            List<Instant> instants = instants(local, zone, clock.fixedTime());
            for (Instant instant : instants) {
                if (instant.isAfter(after) && (earliest == null || instant.isBefore(earliest))) {
                    earliest = instant;
                }
            }
            if (!instants.isEmpty() && instants.get(0).isAfter(after)) {
                break;
            }
        }
        return earliest == null ? null : Date.from(earliest);
    }

    /** The instants a matching local time names, earliest first. */
    private static List<Instant> instants(LocalDateTime local, ZoneId zone, boolean fixedTime) {
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.isEmpty()) { // the clocks skip this time
            return fixedTime ? List.of(zone.getRules().getTransition(local).getInstant()) : List.of();
        }
        ZonedDateTime first = ZonedDateTime.of(local, zone).withEarlierOffsetAtOverlap();
        if (offsets.size() == 1 || fixedTime) {
            return List.of(first.toInstant());
        }
        return List.of(first.toInstant(), first.withLaterOffsetAtOverlap().toInstant());
    }

    private WallClock wallClock() {
        String expression = getCronExpression();
        if (expression == null) {
            return null;
        }
        if (wallClock == null || !wallClock.expression().equals(expression)) {
            wallClock = WallClock.of(expression);
        }
        return wallClock;
    }

    /** Not Quartz's plain cron trigger: its persistence delegate must leave this one to ours. */
    @Override
    public boolean hasAdditionalProperties() {
        return true;
    }

    /** Rebuilding the trigger (e.g. {@code getTriggerBuilder()}) keeps it DST-correct. */
    @Override
    public ScheduleBuilder<CronTrigger> getScheduleBuilder() {
        return new DstCronScheduleBuilder(getCronExpression(), getTimeZone(), getMisfireInstruction());
    }
}
