package dev.tributary.scheduler.schedule;

import org.quartz.CronTrigger;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.CronTriggerPersistenceDelegate;
import org.quartz.impl.jdbcjobstore.NoRecordFoundException;
import org.quartz.spi.OperableTrigger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.TimeZone;

/**
 * Stores {@link DstCronTrigger}s as Quartz stores its own cron triggers (expression and zone in
 * {@code qrtz_cron_triggers}) under their own type, {@code DST_CRON}, so they load back as
 * {@link DstCronTrigger}s. Quartz instantiates it from
 * {@code org.quartz.jobStore.driverDelegateInitString} (see {@code QuartzSchedulerFactory}).
 */
public class DstCronTriggerPersistenceDelegate extends CronTriggerPersistenceDelegate {

    /** {@code qrtz_triggers.trigger_type} of a {@link DstCronTrigger} (the column holds 8 characters). */
    public static final String TYPE = "DST_CRON";

    public DstCronTriggerPersistenceDelegate() {
        // Quartz creates delegates by reflection.
    }

    @Override
    public String getHandledTriggerTypeDiscriminator() {
        return TYPE;
    }

    @Override
    public boolean canHandleTriggerType(OperableTrigger trigger) {
        return trigger instanceof DstCronTrigger;
    }

    /** Also used by {@link #loadExtendedTriggerProperties}, which reads the row and calls this. */
    @Override
    public TriggerPropertyBundle loadExtendedTriggerPropertiesFromResultSet(ResultSet row, TriggerKey triggerKey)
            throws SQLException {
        String expression = row.getString(COL_CRON_EXPRESSION);
        String zone = row.getString(COL_TIME_ZONE_ID);
        if (expression == null || zone == null) {
            throw new NoRecordFoundException(triggerKey, schedNameLiteral, getClass());
        }
        // Quartz sets the stored misfire instruction on the trigger once it is built.
        return new TriggerPropertyBundle(new DstCronScheduleBuilder(expression, TimeZone.getTimeZone(zone),
                CronTrigger.MISFIRE_INSTRUCTION_SMART_POLICY), null, null);
    }
}
