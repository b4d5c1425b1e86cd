package dev.tributary.db.entity;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes batches of entities in bulk, on the caller's connection inside its
 * tenant-scoped transaction. The batch's ids are looked up in one query that
 * returns only the stored hashes; the batch is classified in Java (new / changed /
 * unchanged / newly archived) and only new and changed rows travel to PostgreSQL,
 * as binary arrays unnested by one upsert — an unchanged row is neither sent nor
 * rewritten. When the caller knows the target held nothing before its pass
 * ({@link #writeToFreshTarget}), the lookup is skipped and the upsert itself says
 * what it inserted. (COPY would be cheaper on the wire, but PostgreSQL refuses
 * {@code COPY FROM} into a table under row-level security, and a staging table
 * writes every row twice.)
 */
@Singleton
public class EntityWriter {

    private static final HexFormat HEX = HexFormat.of();

    private static final String STORED = """
            SELECT external_id, content_hash, archived_at IS NOT NULL FROM entities
             WHERE tenant_id = ? AND app_key = ? AND collection_key = ? AND external_id = ANY (?::text[])""";

    /** Returns the rows it inserted or changed; {@code xmax = 0} marks a fresh insert. */
    private static final String UPSERT = """
            INSERT INTO entities (tenant_id, app_key, collection_key, external_id, raw_payload, content_hash,
                                  archived_at, source_created_at, source_updated_at, first_seen_at, last_seen_at,
                                  updated_at)
            SELECT ?, ?, ?, i.external_id, i.raw_payload::jsonb, decode(i.content_hash, 'hex'), i.archived_at,
                   i.source_created_at, i.source_updated_at, ?, ?, ?
              FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[])
                   AS i(external_id, raw_payload, content_hash, archived_at, source_created_at, source_updated_at)
            ON CONFLICT (tenant_id, app_key, collection_key, external_id) DO UPDATE
               SET raw_payload = EXCLUDED.raw_payload,
                   content_hash = EXCLUDED.content_hash,
                   archived_at = CASE WHEN EXCLUDED.archived_at IS NULL THEN NULL
                                      ELSE coalesce(entities.archived_at, EXCLUDED.archived_at) END,
                   source_created_at = EXCLUDED.source_created_at,
                   source_updated_at = EXCLUDED.source_updated_at,
                   last_seen_at = EXCLUDED.last_seen_at,
                   updated_at = EXCLUDED.updated_at
             WHERE entities.content_hash <> EXCLUDED.content_hash
                OR (entities.archived_at IS NULL) <> (EXCLUDED.archived_at IS NULL)
            RETURNING external_id, xmax = 0""";

    /** What is stored for an id: enough to tell whether an incoming row changes it. */
    private record Stored(byte[] contentHash, boolean archived) {
    }

    /**
     * Writes (or, with {@code dryRun}, only classifies) one batch of a collection.
     * The last occurrence of an id in the batch wins.
     *
     * @param sampleSize how many external ids of each kind to report
     */
    public WriteResult write(Connection connection, String tenantId, String appKey, String collectionKey,
                             List<EntityRow> rows, Instant seenAt, boolean dryRun, int sampleSize)
            throws SQLException {
        if (rows.isEmpty()) {
            return WriteResult.NONE;
        }
        Map<String, EntityRow> latest = latest(rows);
        Map<String, Stored> stored = stored(connection, tenantId, appKey, collectionKey, latest.keySet());
        var result = new Tally(sampleSize);
        List<EntityRow> upserts = new ArrayList<>();
        for (EntityRow row : latest.values()) {
            Stored before = stored.get(row.externalId());
            boolean archivedNow = row.archivedAt() != null;
            if (before == null) {
                upserts.add(row);
                result.created(row.externalId());
            } else if (!Arrays.equals(before.contentHash(), row.contentHash()) || before.archived() != archivedNow) {
                upserts.add(row);
                result.updated(row.externalId());
            } else {
                result.unchanged++;
            }
            if (archivedNow && (before == null || !before.archived())) {
                result.archived(row.externalId());
            }
        }
        if (!dryRun) {
            upsert(connection, tenantId, appKey, collectionKey, upserts, seenAt);
        }
        return result.toResult();
    }

    /**
     * Writes a batch of a pass whose target held nothing when the pass began: most rows
     * are new, so nothing is looked up first; the upsert still settles an id that came
     * back (a source repeating itself, a webhook landing meanwhile) and reports what it
     * inserted and what it changed. Rows count as archived when they are inserted archived
     * (a repeated id that turns archived later in the same pass is not counted again).
     */
    public WriteResult writeToFreshTarget(Connection connection, String tenantId, String appKey, String collectionKey,
                                          List<EntityRow> rows, Instant seenAt, int sampleSize) throws SQLException {
        if (rows.isEmpty()) {
            return WriteResult.NONE;
        }
        Map<String, EntityRow> latest = latest(rows);
        var result = new Tally(sampleSize);
        long written = 0;
        try (var rs = upsertReturning(connection, tenantId, appKey, collectionKey, latest.values(), seenAt)) {
            while (rs.next()) {
                written++;
                String id = rs.getString(1);
                if (rs.getBoolean(2)) {
                    result.created(id);
                    if (latest.get(id).archivedAt() != null) {
                        result.archived(id);
                    }
                } else {
                    result.updated(id);
                }
            }
        }
        result.unchanged = latest.size() - written;
        return result.toResult();
    }

    /** Counts and samples of one batch, filled while classifying it. */
    private static final class Tally {
        private final int sampleSize;
        private long created;
        private long updated;
        private long unchanged;
        private long archived;
        private final List<String> createdSample = new ArrayList<>();
        private final List<String> updatedSample = new ArrayList<>();
        private final List<String> archivedSample = new ArrayList<>();

        Tally(int sampleSize) {
            this.sampleSize = sampleSize;
        }

        void created(String id) {
            created++;
            sample(createdSample, id);
        }

        void updated(String id) {
            updated++;
            sample(updatedSample, id);
        }

        void archived(String id) {
            archived++;
            sample(archivedSample, id);
        }

        private void sample(List<String> sample, String id) {
            if (sample.size() < sampleSize) {
                sample.add(id);
            }
        }

        WriteResult toResult() {
            return new WriteResult(created, updated, unchanged, archived, createdSample, updatedSample, archivedSample);
        }
    }

    private static Map<String, EntityRow> latest(List<EntityRow> rows) {
        Map<String, EntityRow> latest = new LinkedHashMap<>();
        rows.forEach(row -> latest.put(row.externalId(), row));
        return latest;
    }

    private static Map<String, Stored> stored(Connection connection, String tenantId, String appKey,
                                              String collectionKey, Collection<String> ids) throws SQLException {
        Map<String, Stored> stored = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(STORED)) {
            select.setString(1, tenantId);
            select.setString(2, appKey);
            select.setString(3, collectionKey);
            select.setObject(4, ids.toArray(String[]::new));
            var rs = select.executeQuery();
            while (rs.next()) {
                stored.put(rs.getString(1), new Stored(rs.getBytes(2), rs.getBoolean(3)));
            }
        }
        return stored;
    }

    /** Runs the upsert; the caller reads (or ignores) and closes what it returns. Arrays travel in binary. */
    private static java.sql.ResultSet upsertReturning(Connection connection, String tenantId, String appKey,
                                                      String collectionKey, Collection<EntityRow> rows,
                                                      Instant seenAt)
            throws SQLException {
        int n = rows.size();
        String[] ids = new String[n];
        String[] payloads = new String[n];
        String[] hashes = new String[n];
        String[] archivedAt = new String[n];
        String[] createdAt = new String[n];
        String[] updatedAt = new String[n];
        int i = 0;
        for (EntityRow row : rows) {
            ids[i] = row.externalId();
            payloads[i] = row.rawPayload();
            hashes[i] = HEX.formatHex(row.contentHash());
            archivedAt[i] = text(row.archivedAt());
            createdAt[i] = text(row.sourceCreatedAt());
            updatedAt[i] = text(row.sourceUpdatedAt());
            i++;
        }
        PreparedStatement upsert = connection.prepareStatement(UPSERT);
        upsert.closeOnCompletion();
        upsert.setString(1, tenantId);
        upsert.setString(2, appKey);
        upsert.setString(3, collectionKey);
        Timestamp seen = Timestamp.from(seenAt);
        upsert.setTimestamp(4, seen);
        upsert.setTimestamp(5, seen);
        upsert.setTimestamp(6, seen);
        upsert.setObject(7, ids);
        upsert.setObject(8, payloads);
        upsert.setObject(9, hashes);
        upsert.setObject(10, archivedAt);
        upsert.setObject(11, createdAt);
        upsert.setObject(12, updatedAt);
        return upsert.executeQuery();
    }

    private static void upsert(Connection connection, String tenantId, String appKey, String collectionKey,
                               List<EntityRow> rows, Instant seenAt) throws SQLException {
        if (!rows.isEmpty()) {
            upsertReturning(connection, tenantId, appKey, collectionKey, rows, seenAt).close();
        }
    }

    private static String text(Instant value) {
        return value == null ? null : value.toString();
    }
}
