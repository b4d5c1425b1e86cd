package dev.tributary.api;

import io.micronaut.transaction.TransactionOperations;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;

import java.sql.Connection;

/** Cron triggers as Quartz stored them, read the way the service's own calls run: inside a transaction. */
public final class StoredTriggers {

    private final Scheduler scheduler;
    private final TransactionOperations<Connection> transactions;

    public StoredTriggers(Scheduler scheduler, TransactionOperations<Connection> transactions) {
        this.scheduler = scheduler;
        this.transactions = transactions;
    }

    /** The trigger {@code name} of {@code group}, or null when there is none. */
    public CronTrigger cron(String name, String group) {
        return transactions.executeRead(status -> { // JobStoreCMT: scheduler calls join a transaction
            try {
                return (CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey(name, group));
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
