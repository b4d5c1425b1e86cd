package dev.tributary.scheduler.schedule;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * At start-up, turns the app schedules that earlier versions stored as Quartz's own cron
 * triggers (type {@code CRON}, not DST-correct) into {@link DstCronTrigger}s: same cron, zone,
 * misfire instruction and last firing, resuming after that firing, so a slot missed while the
 * cluster was down still fires once and none fires twice. Every node runs it; it converts only
 * what is still {@code CRON}, under Quartz's own trigger lock, so nodes starting together convert
 * each trigger once and no node fires one while it is being replaced.
 */
@Singleton
public class AppScheduleUpgrade {

    private static final Logger LOG = LoggerFactory.getLogger(AppScheduleUpgrade.class);
    private static final int BATCH = 100;

    private final Scheduler scheduler;
    private final TransactionOperations<Connection> transactions;

    AppScheduleUpgrade(Scheduler scheduler, TransactionOperations<Connection> transactions) {
        this.scheduler = scheduler;
        this.transactions = transactions;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        int converted = convertStockCronTriggers();
        if (converted > 0) {
            LOG.info("Converted {} app schedules to DST-correct cron triggers", converted);
        }
    }

    /** Converts every app schedule still stored as a stock cron trigger; returns how many it converted. */
    public int convertStockCronTriggers() {
        int total = 0;
        int converted;
        do {
            converted = transactions.executeWrite(status -> convertBatch(status.getConnection()));
            total += converted;
        } while (converted == BATCH);
        return total;
    }

    private int convertBatch(Connection connection) {
        try {
            String schedulerName = scheduler.getSchedulerName();
            // Quartz's TRIGGER_ACCESS row lock, which acquiring, firing and (re)scheduling take: held
            // from here to commit, it makes the read below current and keeps it so until the triggers
            // are replaced. (The row exists: Quartz inserted it when it first stored a trigger.)
            try (var lock = connection.prepareStatement("""
                    SELECT lock_name FROM tributary.qrtz_locks
                    WHERE sched_name = ? AND lock_name = 'TRIGGER_ACCESS' FOR UPDATE""")) {
                lock.setString(1, schedulerName);
                lock.executeQuery().close();
            }
            List<TriggerKey> stock = new ArrayList<>();
            try (var select = connection.prepareStatement("""
                    SELECT trigger_name FROM tributary.qrtz_triggers
                    WHERE sched_name = ? AND trigger_group = ? AND trigger_type = 'CRON'
                    ORDER BY trigger_name LIMIT ?""")) {
                select.setString(1, schedulerName);
                select.setString(2, AppSchedules.GROUP);
                select.setInt(3, BATCH);
                try (var rows = select.executeQuery()) {
                    while (rows.next()) {
                        stock.add(TriggerKey.triggerKey(rows.getString(1), AppSchedules.GROUP));
                    }
                }
            }
            for (TriggerKey key : stock) {
                convert((CronTrigger) scheduler.getTrigger(key));
            }
            return stock.size();
        } catch (SQLException | SchedulerException e) {
            throw new IllegalStateException("could not convert app schedules to DST-correct triggers: "
                    + e.getMessage(), e);
        }
    }

    private void convert(CronTrigger stock) throws SchedulerException {
        Date previous = stock.getPreviousFireTime();
        // Quartz computes the new trigger's first firing from its start: the first slot after the last
        // firing (in the past if the cluster missed it, which then fires once as a misfire), or, for a
        // trigger that never fired, its first slot.
        Date resumeFrom = previous == null ? stock.getStartTime() : new Date(previous.getTime() + 1000);
        Trigger replacement = stock.getTriggerBuilder()
                .withSchedule(new DstCronScheduleBuilder(stock.getCronExpression(), stock.getTimeZone(),
                        stock.getMisfireInstruction()))
                .startAt(resumeFrom)
                .build();
        ((OperableTrigger) replacement).setPreviousFireTime(previous);
        scheduler.rescheduleJob(stock.getKey(), replacement);
    }
}
