package dev.tributary.db.lock;

import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The row locks that keep two syncs of one target from running at once: one
 * {@code sync_locks} row per (tenant, app, collection), held with
 * {@code SELECT … FOR UPDATE} by the worker for its whole run, on a connection of
 * its own (outside any Micronaut transaction). Taking never waits: when another
 * run holds any of the rows, {@link #tryLock} says so at once and the caller
 * re-queues. The lock goes with the connection, so a worker that dies (process
 * killed, connection dropped) frees its targets.
 */
@Singleton
public class SyncLocks {

    private static final String ENSURE = """
            INSERT INTO sync_locks (tenant_id, app_key, collection_key)
            SELECT ?, ?, unnest(?::text[]) ON CONFLICT DO NOTHING""";

    private static final String TAKE = """
            SELECT collection_key FROM sync_locks
             WHERE tenant_id = ? AND app_key = ? AND collection_key = ANY (?::text[])
               FOR UPDATE SKIP LOCKED""";

    /** Every lock row of the app, taken where free; true when that was all of them. */
    private static final String TAKE_ALL_OF_APP = """
            WITH taken AS (SELECT 1 FROM sync_locks WHERE tenant_id = ? AND app_key = ? FOR UPDATE SKIP LOCKED)
            SELECT (SELECT count(*) FROM taken) = (SELECT count(*) FROM sync_locks WHERE tenant_id = ? AND app_key = ?)""";

    /** How long asking a lock's connection whether it still answers may take. */
    private static final int VALIDITY_CHECK_SECONDS = 5;

    private final DataSource dataSource;

    public SyncLocks(DataSource dataSource, DataSourceResolver resolver) {
        this.dataSource = resolver.resolve(dataSource); // the pool itself: this connection is ours, not a transaction's
    }

    /** Locks held until closed. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;

        private Held(Connection connection) {
            this.connection = connection;
        }

        /**
         * Whether the locks are still held: their connection still answers. A database restart or a
         * dropped connection ends the transaction that held them, and another run may take them.
         */
        public boolean stillHeld() {
            try {
                return connection.isValid(VALIDITY_CHECK_SECONDS);
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() {
            try (connection) {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // Closing the connection releases the locks either way.
            }
        }
    }

    /** Takes every collection's lock of the target, or none (empty) when a run holds any of them. */
    public Optional<Held> tryLock(String tenant, String appKey, List<String> collections) throws SQLException {
        String[] keys = collections.stream().distinct().sorted().toArray(String[]::new);
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            // The rows first, committed on their own: a row inserted in the holding transaction
            // would make a second run wait for that insert instead of skipping it.
            scope(connection, tenant);
            try (PreparedStatement ensure = connection.prepareStatement(ENSURE)) {
                ensure.setString(1, tenant);
                ensure.setString(2, appKey);
                ensure.setObject(3, keys);
                ensure.executeUpdate();
            }
            connection.commit();
            scope(connection, tenant);
            int taken = 0;
            try (PreparedStatement take = connection.prepareStatement(TAKE)) {
                take.setString(1, tenant);
                take.setString(2, appKey);
                take.setObject(3, keys);
                var rs = take.executeQuery();
                while (rs.next()) {
                    taken++;
                }
            }
            if (taken < keys.length) {
                new Held(connection).close();
                return Optional.empty();
            }
            return Optional.of(new Held(connection));
        } catch (SQLException | RuntimeException e) {
            new Held(connection).close();
            throw e;
        }
    }

    /**
     * Takes the locks of all the app's targets for {@code transaction}, which is about to delete the app (and
     * with it these rows): false when a run holds any of them. Never waits: a delete waiting for a run would
     * hold up that run's own writes to the app's rows, and neither would ever end.
     */
    public boolean takeAllOfApp(Connection transaction, String tenant, String appKey) throws SQLException {
        try (PreparedStatement take = transaction.prepareStatement(TAKE_ALL_OF_APP)) {
            take.setString(1, tenant);
            take.setString(2, appKey);
            take.setString(3, tenant);
            take.setString(4, appKey);
            var rs = take.executeQuery();
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Names the tenant for row-level security, for the current transaction only. */
    private static void scope(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT set_config('tributary.tenant_id', ?, true)")) {
            statement.setString(1, tenant);
            statement.execute();
        }
    }
}
