package dev.tributary.db.entity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;

/**
 * The bookkeeping of one sync target (tenant, app, collection) beside its entities:
 * its state (last success, resume cursor), the ids a full pass has seen, deletion
 * of what it did not see, and per-record failures. Every method runs on the
 * caller's tenant-scoped connection, inside its transaction.
 */
@Singleton
public class SyncTargetStore {

    /**
     * {@code cursor} is where an interrupted fetch of {@code cursorMode} stopped; null when none did.
     * {@code cursorOnFreshTarget}: that interrupted pass began on an empty collection.
     * {@code cursorAfterUnidentifiedFailures}: before it stopped, that pass met records that failed without
     * an id, so, resumed, it still cannot tell what the source has and may not delete.
     */
    public record SyncState(Instant lastSyncedAt, Instant lastFullSyncAt, String cursorMode, String cursor,
                            boolean cursorOnFreshTarget, boolean cursorAfterUnidentifiedFailures) {
    }

    /** How many of the target's rows a full pass did not see (inside the sync_from window), of how many. */
    public record Unseen(long unseen, long total) {
    }

    public Optional<SyncState> state(Connection c, String tenant, String app, String collection) throws SQLException {
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
                    rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getBoolean(6)));
        }
    }

    /** Where the current pass has got to, so an interrupted one resumes there (see {@link SyncState}). */
    public void saveCursor(Connection c, String tenant, String app, String collection, String mode, String cursor,
                           boolean freshTarget, boolean unidentifiedFailures, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_state (tenant_id, app_key, collection_key,"
                + " cursor, updated_at) VALUES (?, ?, ?, jsonb_build_object('mode', ?::text, 'position', ?::text,"
                + " 'fresh_target', ?, 'unidentified_failures', ?), ?)"
                + " ON CONFLICT (tenant_id, app_key, collection_key) DO UPDATE SET cursor = EXCLUDED.cursor,"
                + " updated_at = EXCLUDED.updated_at")) {
            bind(s, tenant, app, collection);
            s.setString(4, mode);
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

    /** The collection synced successfully as of {@code syncedAt}: state advances, the resume cursor is cleared. */
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

    /**
     * Records the ids one batch of a full pass saw (one row per batch): those it wrote, and those the source
     * still has although they were not written (they failed, or lie before sync_from), so none is deleted.
     */
    public void markSeen(Connection c, String tenant, String app, String collection, List<String> externalIds)
            throws SQLException {
        if (externalIds.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_seen (tenant_id, app_key, collection_key,"
                + " external_ids) VALUES (?, ?, ?, ?::text[])")) {
            bind(s, tenant, app, collection);
            s.setArray(4, c.createArrayOf("text", externalIds.toArray()));
            s.executeUpdate();
        }
    }

    /** Whether the target holds no entities at all. */
    public boolean isEmpty(Connection c, String tenant, String app, String collection) throws SQLException {
        return number(c, "SELECT count(*) FROM (SELECT 1 FROM entities WHERE tenant_id = ? AND app_key = ?"
                + " AND collection_key = ? LIMIT 1) one", tenant, app, collection) == 0;
    }

    /** How many distinct ids the current full pass has seen. */
    public long seenCount(Connection c, String tenant, String app, String collection) throws SQLException {
        return number(c, "SELECT count(DISTINCT id) FROM sync_seen, unnest(external_ids) id"
                + " WHERE tenant_id = ? AND app_key = ? AND collection_key = ?", tenant, app, collection);
    }

    public void clearSeen(Connection c, String tenant, String app, String collection) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM sync_seen WHERE tenant_id = ? AND app_key = ? AND collection_key = ?")) {
            bind(s, tenant, app, collection);
            s.executeUpdate();
        }
    }

    public Unseen unseen(Connection c, String tenant, String app, String collection, Instant syncFrom,
                         Instant passStart) throws SQLException {
        preferSetOperations(c);
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FILTER (WHERE x.id IS NULL AND " + IN_WINDOW
                + " AND " + BEFORE_PASS + "), count(*) FROM entities e LEFT JOIN (SELECT DISTINCT unnest(external_ids) AS id FROM sync_seen"
                + " WHERE tenant_id = ? AND app_key = ? AND collection_key = ?) x ON x.id = e.external_id"
                + " WHERE e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ?")) {
            s.setTimestamp(1, syncFrom == null ? null : Timestamp.from(syncFrom));
            s.setTimestamp(2, syncFrom == null ? null : Timestamp.from(syncFrom));
            s.setTimestamp(3, Timestamp.from(passStart));
            s.setString(4, tenant);
            s.setString(5, app);
            s.setString(6, collection);
            s.setString(7, tenant);
            s.setString(8, app);
            s.setString(9, collection);
            var rs = s.executeQuery();
            rs.next();
            return new Unseen(rs.getLong(1), rs.getLong(2));
        }
    }

    /** For a dry run, which keeps no seen-set: up to {@code sampleSize} ids of rows not among {@code seen}, and how many. */
    public Unseen unseenExcept(Connection c, String tenant, String app, String collection, Instant syncFrom,
                               Instant passStart, java.util.Collection<String> seen, List<String> sample,
                               int sampleSize) throws SQLException {
        preferSetOperations(c);
        try (PreparedStatement s = c.prepareStatement("SELECT e.external_id, count(*) OVER () FROM entities e"
                + " WHERE e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ? AND " + IN_WINDOW
                + " AND " + BEFORE_PASS + " AND NOT (e.external_id = ANY (?::text[])) ORDER BY e.external_id")) {
            bind(s, tenant, app, collection);
            s.setTimestamp(4, syncFrom == null ? null : Timestamp.from(syncFrom));
            s.setTimestamp(5, syncFrom == null ? null : Timestamp.from(syncFrom));
            s.setTimestamp(6, Timestamp.from(passStart));
            s.setArray(7, c.createArrayOf("text", seen.toArray()));
            var rs = s.executeQuery();
            long unseen = 0;
            while (rs.next()) {
                unseen = rs.getLong(2);
                if (sample.size() < sampleSize) {
                    sample.add(rs.getString(1));
                }
            }
            return new Unseen(unseen, count(c, tenant, app, collection));
        }
    }

    private static long count(Connection c, String tenant, String app, String collection) throws SQLException {
        return number(c, "SELECT count(*) FROM entities WHERE tenant_id = ? AND app_key = ? AND collection_key = ?",
                tenant, app, collection);
    }

    /** The one number a query about one target answers. */
    private static long number(Connection c, String sql, String tenant, String app, String collection)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, tenant, app, collection);
            var rs = s.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Deletes the unseen rows inside the sync_from window, logging each deletion under the run. */
    public long deleteUnseen(Connection c, String tenant, String app, String collection, Instant syncFrom,
                             Instant passStart, UUID syncId) throws SQLException {
        preferSetOperations(c);
        try (PreparedStatement s = c.prepareStatement("WITH gone AS (DELETE FROM entities e WHERE e.tenant_id = ?"
                + " AND e.app_key = ? AND e.collection_key = ? AND " + IN_WINDOW + " AND " + BEFORE_PASS
                + " AND NOT EXISTS (SELECT 1"
                + " FROM sync_seen x, unnest(x.external_ids) id WHERE x.tenant_id = e.tenant_id AND x.app_key = e.app_key"
                + " AND x.collection_key = e.collection_key AND id = e.external_id) RETURNING e.external_id)"
                + " INSERT INTO sync_records (tenant_id, sync_id, app_key, collection_key, external_id, operation, status)"
                + " SELECT ?, ?, ?, ?, external_id, 'delete', 'succeeded' FROM gone")) {
            bind(s, tenant, app, collection);
            s.setTimestamp(4, syncFrom == null ? null : Timestamp.from(syncFrom));
            s.setTimestamp(5, syncFrom == null ? null : Timestamp.from(syncFrom));
            s.setTimestamp(6, Timestamp.from(passStart));
            s.setString(7, tenant);
            s.setObject(8, syncId);
            s.setString(9, app);
            s.setString(10, collection);
            return s.executeUpdate();
        }
    }

    /** Logs deletions a run made because the source said so (a change feed's delete events). */
    public void logDeletions(Connection c, String tenant, UUID syncId, String app, String collection,
                             List<String> externalIds) throws SQLException {
        if (externalIds.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_records (tenant_id, sync_id, app_key,"
                + " collection_key, external_id, operation, status) SELECT ?, ?, ?, ?, id, 'delete', 'succeeded'"
                + " FROM unnest(?::text[]) id")) {
            s.setString(1, tenant);
            s.setObject(2, syncId);
            s.setString(3, app);
            s.setString(4, collection);
            s.setObject(5, externalIds.toArray(String[]::new));
            s.executeUpdate();
        }
    }

    /** A record that failed during a run: counted, kept for retries, and not a reason to stop. */
    public void recordFailure(Connection c, String tenant, UUID syncId, String app, String collection,
                              String externalId, String operation, String error) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_records (tenant_id, sync_id, app_key,"
                + " collection_key, external_id, operation, status, error_message) VALUES (?, ?, ?, ?, ?, ?, 'failed', ?)")) {
            s.setString(1, tenant);
            s.setObject(2, syncId);
            s.setString(3, app);
            s.setString(4, collection);
            s.setString(5, externalId == null ? dev.tributary.db.run.FailedRecords.UNKNOWN_ID : externalId);
            s.setString(6, operation);
            s.setString(7, error);
            s.executeUpdate();
        }
    }

    /**
     * Only rows last written before the pass began can be deletion candidates: a row a webhook
     * wrote while the pass ran is newer than anything the pass read, whether the pass saw it or not.
     */
    private static final String BEFORE_PASS = "e.updated_at < ?";

    /**
     * The sync_from window: rows created, or else last changed at the source, or else first seen, on or after
     * sync_from (all when unset). Full syncs read and may delete only these; {@link EntityReader} vouches for
     * their last_seen_at by the last full sync. Two parameters, both sync_from.
     */
    static final String IN_WINDOW = "(CAST(? AS timestamptz) IS NULL OR coalesce(e.source_created_at,"
            + " e.source_updated_at, e.first_seen_at) >= ?)";

    /**
     * The seen-set is filled moments before it is compared, long before autovacuum has
     * analyzed it, so the planner thinks it empty and picks a nested loop — quadratic on
     * a 237,000-row collection. These comparisons are whole-set by nature: forbid that plan.
     */
    private static void preferSetOperations(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("SET LOCAL enable_nestloop = off");
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
