package dev.tributary.db.quality;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A picture of a collection after a successful sync, kept in
 * {@code data_quality_snapshots}: row and archived counts, the null rate of every
 * top-level field (absent counts as null), duplicate ids the source sent, the
 * range of source timestamps, and the change in rows and archived rows since the
 * previous snapshot. Built in one SQL statement on the caller's tenant-scoped connection.
 * Null rates are exact up to {@value #NULL_RATE_SAMPLE} rows and estimated from a random
 * sample of about that many above it (expanding every payload of a 237,000-row collection
 * took two seconds); {@code null_rate_sample} says how many rows they were measured on.
 */
@Singleton
public class DataQualitySnapshots {

    /** Collections up to this size get exact null rates; larger ones a random sample of about this many rows. */
    public static final int NULL_RATE_SAMPLE = 10_000;

    private static final String CAPTURE = """
            WITH totals AS (
                SELECT count(*) AS row_count, count(archived_at) AS archived_count,
                       min(coalesce(source_updated_at, source_created_at)) AS min_source_at,
                       max(coalesce(source_updated_at, source_created_at)) AS max_source_at
                  FROM entities WHERE tenant_id = ? AND app_key = ? AND collection_key = ?
            ), sample AS (
                -- random() sits in the scan's own filter, so it is drawn once per row
                SELECT raw_payload FROM entities
                 WHERE tenant_id = ? AND app_key = ? AND collection_key = ?
                   AND random() < (SELECT %1$d::float8 / greatest(row_count, 1) FROM totals)
            ), sample_size AS (
                SELECT count(*) AS n FROM sample
            ), fields AS (
                SELECT f.key, count(*) FILTER (WHERE f.value <> 'null'::jsonb) AS present
                  FROM sample t, jsonb_each(CASE WHEN jsonb_typeof(t.raw_payload) = 'object'
                                                 THEN t.raw_payload ELSE '{}'::jsonb END) f
                 GROUP BY f.key
            ), previous AS (
                SELECT metrics FROM data_quality_snapshots
                 WHERE tenant_id = ? AND app_key = ? AND collection_key = ?
                 ORDER BY captured_at DESC, id DESC LIMIT 1
            ), metrics AS (
                SELECT jsonb_build_object(
                    'row_count', totals.row_count,
                    'archived_count', totals.archived_count,
                    'duplicate_ids_in_source', CAST(? AS bigint),
                    'min_source_timestamp', totals.min_source_at,
                    'max_source_timestamp', totals.max_source_at,
                    'null_rate', coalesce((SELECT jsonb_object_agg(key,
                        round(1 - present::numeric / greatest(sample_size.n, 1), 4)) FROM fields), '{}'::jsonb),
                    'null_rate_sample', sample_size.n,
                    'row_count_change', totals.row_count - coalesce((SELECT (metrics->>'row_count')::bigint FROM previous), 0),
                    'archived_count_change', totals.archived_count
                        - coalesce((SELECT (metrics->>'archived_count')::bigint FROM previous), 0)) AS value
                  FROM totals, sample_size
            )
            INSERT INTO data_quality_snapshots (tenant_id, app_key, collection_key, sync_id, metrics)
            SELECT ?, ?, ?, ?, value FROM metrics
            RETURNING metrics::text""".formatted(DataQualitySnapshots.NULL_RATE_SAMPLE);

    /** Captures and stores the snapshot; returns its metrics as JSON. */
    public String capture(Connection c, String tenant, String app, String collection, UUID syncId,
                          long duplicateIdsInSource) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CAPTURE)) {
            int i = 0;
            for (int scan = 0; scan < 3; scan++) { // totals, sample, previous
                s.setString(++i, tenant);
                s.setString(++i, app);
                s.setString(++i, collection);
            }
            s.setLong(++i, duplicateIdsInSource);
            s.setString(++i, tenant);
            s.setString(++i, app);
            s.setString(++i, collection);
            s.setObject(++i, syncId);
            var rs = s.executeQuery();
            rs.next();
            return rs.getString(1);
        }
    }
}
