package dev.tributary.api.sync;

import dev.tributary.db.idempotency.IdempotencyKeys;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/** Deletes expired idempotency keys of every tenant, every {@code tributary.idempotency.purge-interval}. */
@Singleton
class IdempotencyPurge {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyPurge.class);

    private final IdempotencyKeys keys;
    private final TransactionOperations<Connection> transactions;

    IdempotencyPurge(IdempotencyKeys keys, TransactionOperations<Connection> transactions) {
        this.keys = keys;
        this.transactions = transactions;
    }

    @Scheduled(fixedDelay = "${tributary.idempotency.purge-interval}", initialDelay = "1m")
    long purge() {
        try {
            long purged = transactions.executeWrite(status -> {
                try {
                    return keys.purgeExpired(status.getConnection());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            if (purged > 0) {
                LOG.info("Purged {} expired idempotency keys", purged);
            }
            return purged;
        } catch (RuntimeException e) {
            LOG.warn("Purging expired idempotency keys failed; the next round tries again", e);
            return 0;
        }
    }
}
