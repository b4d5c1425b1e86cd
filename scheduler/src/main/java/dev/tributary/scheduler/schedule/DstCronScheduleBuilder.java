package dev.tributary.scheduler.schedule;

import org.quartz.CronExpression;
import org.quartz.CronTrigger;
import org.quartz.ScheduleBuilder;
import org.quartz.spi.MutableTrigger;

import java.text.ParseException;
import java.util.TimeZone;

/**
 * Builds a {@link DstCronTrigger}: a Quartz cron expression, the zone whose wall clock it is read
 * on, and the misfire instruction (one of {@link CronTrigger}'s).
 */
public final class DstCronScheduleBuilder extends ScheduleBuilder<CronTrigger> {

    private final String expression;
    private final TimeZone zone;
    private final int misfireInstruction;

    public DstCronScheduleBuilder(String expression, TimeZone zone, int misfireInstruction) {
        try {
            CronExpression.validateExpression(expression);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a Quartz cron expression: " + expression, e);
        }
        this.expression = expression;
        this.zone = (TimeZone) zone.clone();
        this.misfireInstruction = misfireInstruction;
    }

    @Override
    protected MutableTrigger build() {
        DstCronTrigger trigger = new DstCronTrigger();
        trigger.setTimeZone(zone);
        try {
            trigger.setCronExpression(expression);
        } catch (ParseException e) {
            throw new IllegalStateException("validated when the builder was made: " + expression, e);
        }
        trigger.setMisfireInstruction(misfireInstruction);
        return trigger;
    }
}
