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

/** Reads of the records a run failed on ({@code sync_records} with status failed), on the caller's tenant-scoped connection. */
@Singleton
public class FailedRecords {

    /** One failed record. */
    public record Failure(long id, String collectionKey, String externalId, String operation, String error,
                          int retryCount) {
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
