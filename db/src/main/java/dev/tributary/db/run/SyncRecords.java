package dev.tributary.db.run;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code sync_records}: what runs did to single records that is worth keeping — the records a
 * run failed on (status failed: counted, listed, retried by id) and every deletion a run made
 * (status succeeded, operation delete). On the caller's tenant-scoped connection, inside its
 * transaction, so a record's failure or deletion commits with the page that met it. A record
 * whose id the source never gave is kept as {@value #UNKNOWN_ID} and cannot be re-fetched.
 */
@Singleton
public class SyncRecords {

    public static final String UNKNOWN_ID = "(unknown)";

    /** One failed record. */
    public record Failure(long id, String collectionKey, String externalId, String operation, String error,
                          int retryCount) {
    }

    /** A record of the failures list, with where and when it failed. */
    public record Row(long id, UUID syncId, String appKey, String collectionKey, String externalId, String operation,
                      String status, String error, int retryCount, java.time.Instant createdAt,
                      java.time.Instant updatedAt) {
    }

    /** A record that failed during a run: counted, kept for retries, and not a reason to stop. */
    public void recordFailure(Connection c, String tenant, UUID syncId, String app, String collection,
                              String externalId, String operation, String error) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_records (tenant_id, sync_id, app_key,"
                + " collection_key, external_id, operation, status, error_message) VALUES (?, ?, ?, ?, ?, ?, 'failed', ?)")) {
            bindTarget(s, tenant, syncId, app, collection);
            s.setString(5, externalId == null ? UNKNOWN_ID : externalId);
            s.setString(6, operation);
            s.setString(7, error);
            s.executeUpdate();
        }
    }

    /** Logs the deletions a run made: those the source announced, and those of a full pass's unseen rows. */
    public void logDeletions(Connection c, String tenant, UUID syncId, String app, String collection,
                             List<String> externalIds) throws SQLException {
        if (externalIds.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_records (tenant_id, sync_id, app_key,"
                + " collection_key, external_id, operation, status) SELECT ?, ?, ?, ?, id, 'delete', 'succeeded'"
                + " FROM unnest(?::text[]) id")) {
            bindTarget(s, tenant, syncId, app, collection);
            s.setObject(5, externalIds.toArray(String[]::new));
            s.executeUpdate();
        }
    }

    /** The first four parameters of a new record: whose, which run's, of which app and collection. */
    private static void bindTarget(PreparedStatement s, String tenant, UUID syncId, String app, String collection)
            throws SQLException {
        s.setString(1, tenant);
        s.setObject(2, syncId);
        s.setString(3, app);
        s.setString(4, collection);
    }

    private static final String ROW = "SELECT id, sync_id, app_key, collection_key, external_id, operation, status,"
            + " error_message, retry_count, created_at, updated_at FROM sync_records";
    private static final String FILTER = " WHERE tenant_id = ? AND status = 'failed'"
            + " AND (CAST(? AS text) IS NULL OR app_key = ?) AND (CAST(? AS text) IS NULL OR collection_key = ?)";

    /** The tenant's failed records, newest first, optionally of one app and collection. */
    public List<Row> list(Connection c, String tenant, String app, String collection, int limit, long offset)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ROW + FILTER + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
            int i = filter(s, tenant, app, collection);
            s.setInt(++i, limit);
            s.setLong(++i, offset);
            return rows(s);
        }
    }

    public long count(Connection c, String tenant, String app, String collection) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM sync_records" + FILTER)) {
            filter(s, tenant, app, collection);
            var rs = s.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One record of any status, or empty. */
    public java.util.Optional<Row> find(Connection c, String tenant, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ROW + " WHERE tenant_id = ? AND id = ?")) {
            s.setString(1, tenant);
            s.setLong(2, id);
            return rows(s).stream().findFirst();
        }
    }

    /** Failed records to retry: the given ids (those still failed), or every one matching the filters, up to {@code max}. */
    public List<Row> toRetry(Connection c, String tenant, String app, String collection, List<Long> ids, int max)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ROW + FILTER
                + " AND (CAST(? AS bigint[]) IS NULL OR id = ANY (CAST(? AS bigint[]))) ORDER BY id LIMIT ?")) {
            int i = filter(s, tenant, app, collection);
            Long[] array = ids == null ? null : ids.toArray(Long[]::new);
            s.setObject(++i, array);
            s.setObject(++i, array);
            s.setInt(++i, max);
            return rows(s);
        }
    }

    /**
     * Settles retried records after the retry run {@code retrySyncId}: each is succeeded, or failed again
     * with the retry's error (or {@code runError}, when the whole run failed); either way its retry count
     * goes up. The retry run's own failure rows for those records are folded into them.
     */
    public void settleRetry(Connection c, String tenant, List<Long> recordIds, UUID retrySyncId, String runError)
            throws SQLException {
        Long[] ids = recordIds.toArray(Long[]::new);
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE sync_records r
                   SET status = CASE WHEN CAST(? AS text) IS NOT NULL OR again.error_message IS NOT NULL
                                     THEN 'failed' ELSE 'succeeded' END,
                       error_message = coalesce(CAST(? AS text), again.error_message),
                       retry_count = r.retry_count + 1, updated_at = now()
                  FROM sync_records o
                  LEFT JOIN LATERAL (SELECT n.error_message FROM sync_records n
                                      WHERE n.tenant_id = o.tenant_id AND n.sync_id = ? AND n.status = 'failed'
                                        AND n.collection_key = o.collection_key AND n.external_id = o.external_id
                                      LIMIT 1) again ON true
                 WHERE r.tenant_id = ? AND r.id = ANY (?) AND o.tenant_id = r.tenant_id AND o.id = r.id""")) {
            s.setString(1, runError);
            s.setString(2, runError);
            s.setObject(3, retrySyncId);
            s.setString(4, tenant);
            s.setObject(5, ids);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("""
                DELETE FROM sync_records n USING sync_records o
                 WHERE n.tenant_id = ? AND n.sync_id = ? AND n.status = 'failed'
                   AND o.tenant_id = n.tenant_id AND o.id = ANY (?)
                   AND o.collection_key = n.collection_key AND o.external_id = n.external_id""")) {
            s.setString(1, tenant);
            s.setObject(2, retrySyncId);
            s.setObject(3, ids);
            s.executeUpdate();
        }
    }

    private static int filter(PreparedStatement s, String tenant, String app, String collection) throws SQLException {
        s.setString(1, tenant);
        s.setString(2, app);
        s.setString(3, app);
        s.setString(4, collection);
        s.setString(5, collection);
        return 5;
    }

    private static List<Row> rows(PreparedStatement s) throws SQLException {
        List<Row> rows = new ArrayList<>();
        var rs = s.executeQuery();
        while (rs.next()) {
            rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                    rs.getTimestamp(10).toInstant(), rs.getTimestamp(11).toInstant()));
        }
        return rows;
    }

    /** How many records a run failed on, per collection, with the first few. */
    public record Summary(long total, Map<String, Long> byCollection, List<Failure> first) {
    }

    public Summary summary(Connection c, String tenant, UUID syncId, int firstCount) throws SQLException {
        Map<String, Long> byCollection = new LinkedHashMap<>();
        long total = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT collection_key, count(*) FROM sync_records"
                + " WHERE tenant_id = ? AND sync_id = ? AND status = 'failed' GROUP BY collection_key ORDER BY 1")) {
            s.setString(1, tenant);
            s.setObject(2, syncId);
            var rs = s.executeQuery();
            while (rs.next()) {
                byCollection.put(rs.getString(1), rs.getLong(2));
                total += rs.getLong(2);
            }
        }
        List<Failure> first = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, collection_key, external_id, operation, error_message,"
                + " retry_count FROM sync_records WHERE tenant_id = ? AND sync_id = ? AND status = 'failed'"
                + " ORDER BY id LIMIT ?")) {
            s.setString(1, tenant);
            s.setObject(2, syncId);
            s.setInt(3, firstCount);
            var rs = s.executeQuery();
            while (rs.next()) {
                first.add(new Failure(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6)));
            }
        }
        return new Summary(total, byCollection, first);
    }
}
