package dev.tributary.db.state;

import dev.tributary.db.run.RunMode;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code sync_state}, one row per sync target (tenant, app, collection): when its last successful
 * sync and last successful full sync began, and the cursor an interrupted pass reached. Written
 * only by the sync engine, on the caller's tenant-scoped connection inside its transaction: a
 * page's cursor commits with the page, success with the run's last write.
 */
@Singleton
public class SyncStates {

    /**
     * The target's last successful full sync, as a scalar subquery for statements about its entities
     * (three parameters: tenant, app, collection); null when none has succeeded. It names no column
     * of the outer statement, so it runs once per statement, not once per row.
     */
    public static final String LAST_FULL_SYNC_AT = "(SELECT s.last_full_sync_at FROM sync_state s"
            + " WHERE s.tenant_id = ? AND s.app_key = ? AND s.collection_key = ?)";

    public Optional<SyncState> find(Connection c, String tenant, String app, String collection) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT last_synced_at, last_full_sync_at, cursor->>'mode',"
                + " cursor->>'position', coalesce((cursor->>'fresh_target')::boolean, false),"
                + " coalesce((cursor->>'unidentified_failures')::boolean, false)"
                + " FROM sync_state WHERE tenant_id = ? AND app_key = ? AND collection_key = ?")) {
            bind(s, tenant, app, collection);
            var rs = s.executeQuery();
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new SyncState(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2)),
                    rs.getString(3) == null ? null : RunMode.of(rs.getString(3)).orElse(null), rs.getString(4),
                    rs.getBoolean(5), rs.getBoolean(6)));
        }
    }

    /** Where the current pass has got to, so an interrupted one resumes there (see {@link SyncState}). */
    public void saveCursor(Connection c, String tenant, String app, String collection, RunMode mode, String cursor,
                           boolean freshTarget, boolean unidentifiedFailures, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_state (tenant_id, app_key, collection_key,"
                + " cursor, updated_at) VALUES (?, ?, ?, jsonb_build_object('mode', ?::text, 'position', ?::text,"
                + " 'fresh_target', ?, 'unidentified_failures', ?), ?)"
                + " ON CONFLICT (tenant_id, app_key, collection_key) DO UPDATE SET cursor = EXCLUDED.cursor,"
                + " updated_at = EXCLUDED.updated_at")) {
            bind(s, tenant, app, collection);
            s.setString(4, mode.value());
            s.setString(5, cursor);
            s.setBoolean(6, freshTarget);
            s.setBoolean(7, unidentifiedFailures);
            s.setTimestamp(8, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    /**
     * A batch commits together with the cursor it reached, so losing the last few batches
     * to a crash only means resuming from an earlier cursor: such a commit need not wait
     * for its WAL flush. The run's final state is written by a normal, durable commit,
     * which flushes everything before it.
     */
    public void commitWithoutWaitingForFlush(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit = off");
        }
    }

    /**
     * The collection synced successfully as of {@code syncedAt}: state advances, the resume cursor is
     * cleared. {@code full}: a full sync that vouches for the rows it kept, so it is also the last full sync.
     */
    public void markSucceeded(Connection c, String tenant, String app, String collection, Instant syncedAt,
                              boolean full) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_state (tenant_id, app_key, collection_key,"
                + " last_synced_at, last_full_sync_at, cursor, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?)"
                + " ON CONFLICT (tenant_id, app_key, collection_key) DO UPDATE SET last_synced_at = EXCLUDED.last_synced_at,"
                + " last_full_sync_at = coalesce(EXCLUDED.last_full_sync_at, sync_state.last_full_sync_at),"
                + " cursor = NULL, updated_at = EXCLUDED.updated_at")) {
            bind(s, tenant, app, collection);
            Timestamp at = Timestamp.from(syncedAt);
            s.setTimestamp(4, at);
            s.setTimestamp(5, full ? at : null);
            s.setTimestamp(6, at);
            s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, String tenant, String app, String collection) throws SQLException {
        s.setString(1, tenant);
        s.setString(2, app);
        s.setString(3, collection);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
