package dev.tributary.db.entity;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The seen-set of a target's full pass ({@code sync_seen}, one row per page): the ids the pass
 * has seen so far — logged (V13), so a pass resumed after a database crash still knows them —
 * and, once it has read every page, the target's rows it did not see, which it may delete.
 * Every method runs on the caller's tenant-scoped connection, inside its transaction.
 */
@Singleton
public class SeenSets {

    /** How many of the target's rows a full pass did not see (inside the sync_from window), of how many. */
    public record Unseen(long unseen, long total) {
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
     * Records the ids one page of a full pass saw (one row per page): those it wrote, and those the source
     * still has although they were not written (they failed, or lie before sync_from), so none is deleted.
     */
    public void add(Connection c, String tenant, String app, String collection, List<String> externalIds)
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

    /** How many distinct ids the current full pass has seen. */
    public long count(Connection c, String tenant, String app, String collection) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(DISTINCT id) FROM sync_seen, unnest(external_ids) id"
                + " WHERE tenant_id = ? AND app_key = ? AND collection_key = ?")) {
            bind(s, tenant, app, collection);
            var rs = s.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Forgets what the target's pass saw: a new pass begins, or the last one is over. */
    public void clear(Connection c, String tenant, String app, String collection) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM sync_seen WHERE tenant_id = ? AND app_key = ? AND collection_key = ?")) {
            bind(s, tenant, app, collection);
            s.executeUpdate();
        }
    }

    /** The target's rows the pass that began at {@code passStart} did not see, inside the sync_from window. */
    public Unseen unseen(Connection c, String tenant, String app, String collection, Instant syncFrom,
                         Instant passStart) throws SQLException {
        preferSetOperations(c);
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FILTER (WHERE x.id IS NULL AND " + IN_WINDOW
                + " AND " + BEFORE_PASS + "), count(*) FROM entities e LEFT JOIN (SELECT DISTINCT unnest(external_ids) AS id FROM sync_seen"
                + " WHERE tenant_id = ? AND app_key = ? AND collection_key = ?) x ON x.id = e.external_id"
                + " WHERE e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ?")) {
            s.setTimestamp(1, timestamp(syncFrom));
            s.setTimestamp(2, timestamp(syncFrom));
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

    /**
     * For a dry run, which keeps no seen-set: how many of the target's rows are not among {@code seen},
     * with up to {@code sampleSize} of their ids added to {@code sample}.
     */
    public Unseen unseenExcept(Connection c, String tenant, String app, String collection, Instant syncFrom,
                               Instant passStart, Collection<String> seen, List<String> sample, int sampleSize)
            throws SQLException {
        preferSetOperations(c);
        long unseen = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT e.external_id, count(*) OVER () FROM entities e"
                + " WHERE e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ? AND " + IN_WINDOW
                + " AND " + BEFORE_PASS + " AND NOT (e.external_id = ANY (?::text[])) ORDER BY e.external_id")) {
            bind(s, tenant, app, collection);
            s.setTimestamp(4, timestamp(syncFrom));
            s.setTimestamp(5, timestamp(syncFrom));
            s.setTimestamp(6, Timestamp.from(passStart));
            s.setArray(7, c.createArrayOf("text", seen.toArray()));
            var rs = s.executeQuery();
            while (rs.next()) {
                unseen = rs.getLong(2);
                if (sample.size() < sampleSize) {
                    sample.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM entities WHERE tenant_id = ? AND app_key = ? AND collection_key = ?")) {
            bind(s, tenant, app, collection);
            var rs = s.executeQuery();
            rs.next();
            return new Unseen(unseen, rs.getLong(1));
        }
    }

    /**
     * Deletes the target's rows the pass did not see, inside the sync_from window; returns their external
     * ids, for the run to log each deletion.
     */
    public List<String> deleteUnseen(Connection c, String tenant, String app, String collection, Instant syncFrom,
                                     Instant passStart) throws SQLException {
        preferSetOperations(c);
        try (PreparedStatement s = c.prepareStatement("DELETE FROM entities e WHERE e.tenant_id = ?"
                + " AND e.app_key = ? AND e.collection_key = ? AND " + IN_WINDOW + " AND " + BEFORE_PASS
                + " AND NOT EXISTS (SELECT 1"
                + " FROM sync_seen x, unnest(x.external_ids) id WHERE x.tenant_id = e.tenant_id AND x.app_key = e.app_key"
                + " AND x.collection_key = e.collection_key AND id = e.external_id) RETURNING e.external_id")) {
            bind(s, tenant, app, collection);
            s.setTimestamp(4, timestamp(syncFrom));
            s.setTimestamp(5, timestamp(syncFrom));
            s.setTimestamp(6, Timestamp.from(passStart));
            List<String> deleted = new ArrayList<>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getString(1));
                }
            }
            return deleted;
        }
    }

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

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static void bind(PreparedStatement s, String tenant, String app, String collection) throws SQLException {
        s.setString(1, tenant);
        s.setString(2, app);
        s.setString(3, collection);
    }
}
