package dev.tributary.db.entity;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
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
 * ({@link #writeToFreshTarget}), the lookup is skipped and the rows go in as a
 * plain insert. (COPY would be cheaper on the wire, but PostgreSQL refuses
 * {@code COPY FROM} into a table under row-level security, and a staging table
 * writes every row twice.)
 */
@Singleton
public class EntityWriter {

    private static final int CHUNK_PAYLOAD_CHARS = 192 * 1024;
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String STORED = """
            SELECT external_id, content_hash, archived_at IS NOT NULL, source_updated_at FROM entities
             WHERE tenant_id = ? AND app_key = ? AND collection_key = ? AND external_id = ANY (?::text[])""";

    /** New rows, as binary arrays; the upsert below adds what to do with an id already stored. */
    private static final String INSERT = """
            INSERT INTO entities (tenant_id, app_key, collection_key, external_id, raw_payload, content_hash,
                                  archived_at, source_created_at, source_updated_at, first_seen_at, last_seen_at,
                                  updated_at)
            SELECT ?, ?, ?, i.external_id, i.raw_payload::jsonb, i.content_hash, i.archived_at,
                   i.source_created_at, i.source_updated_at, ?, ?, ?
              FROM unnest(?::text[], ?::text[], ?::bytea[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[])
                   AS i(external_id, raw_payload, content_hash, archived_at, source_created_at, source_updated_at)""";

    /** Returns the rows it inserted or changed; {@code xmax = 0} marks a fresh insert. */
    private static final String UPSERT = INSERT + """

            ON CONFLICT (tenant_id, app_key, collection_key, external_id) DO UPDATE
               SET raw_payload = EXCLUDED.raw_payload,
                   content_hash = EXCLUDED.content_hash,
                   archived_at = CASE WHEN EXCLUDED.archived_at IS NULL THEN NULL
                                      ELSE coalesce(entities.archived_at, EXCLUDED.archived_at) END,
                   source_created_at = EXCLUDED.source_created_at,
                   source_updated_at = EXCLUDED.source_updated_at,
                   last_seen_at = EXCLUDED.last_seen_at,
                   updated_at = EXCLUDED.updated_at
             WHERE (entities.content_hash <> EXCLUDED.content_hash
                    OR (entities.archived_at IS NULL) <> (EXCLUDED.archived_at IS NULL))
               -- an incoming state older than the stored one, by the source's clock, never overwrites it
               AND NOT coalesce(EXCLUDED.source_updated_at < entities.source_updated_at, false)
            RETURNING external_id, xmax = 0""";

    /** Deletes the named rows unless the stored state is newer than the deletion. */
    private static final String REMOVE = """
            DELETE FROM entities e
             USING unnest(?::text[], ?::timestamptz[]) AS r(external_id, deleted_at)
             WHERE e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ? AND e.external_id = r.external_id
               AND coalesce(e.source_updated_at <= r.deleted_at, true)
            RETURNING e.external_id""";

    /** Marks the named rows archived (keeping their payload) unless the stored state is newer than that. */
    private static final String ARCHIVE = """
            UPDATE entities e SET archived_at = r.archived_at, updated_at = ?
              FROM unnest(?::text[], ?::timestamptz[]) AS r(external_id, archived_at)
             WHERE e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ? AND e.external_id = r.external_id
               AND e.archived_at IS NULL AND coalesce(e.source_updated_at <= r.archived_at, true)""";

    /** What {@link #REMOVE} would delete. */
    private static final String REMOVABLE = """
            SELECT e.external_id FROM entities e, unnest(?::text[], ?::timestamptz[]) AS r(external_id, deleted_at)
             WHERE e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ? AND e.external_id = r.external_id
               AND coalesce(e.source_updated_at <= r.deleted_at, true)""";

    /** What is stored for an id: enough to tell whether an incoming row changes it, or is older. */
    private record Stored(byte[] contentHash, boolean archived, Instant sourceUpdatedAt) {

        boolean newerThan(EntityRow row) {
            return sourceUpdatedAt != null && row.sourceUpdatedAt() != null
                    && row.sourceUpdatedAt().isBefore(sourceUpdatedAt);
        }
    }

    /**
     * Writes (or, with {@code dryRun}, only classifies) one batch of a collection.
     * The last occurrence of an id in the batch wins. A row whose source time is older
     * than the stored one's (a late webhook, a page read before a newer write landed) is
     * left alone and counted as stale.
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
            } else if (before.newerThan(row)) {
                result.stale++;
                continue;
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
     * are new, so nothing is looked up and the batch goes in as a plain insert, which
     * costs PostgreSQL about a third less than an upsert (no speculative insertion).
     * Should an id already be stored (a source repeating itself across pages, a webhook
     * landing meanwhile), the insert is rolled back to a savepoint and the batch goes
     * through the upsert instead, which settles it and reports what it inserted and what
     * it changed ({@link #upsert}). Rows count as archived when they are inserted archived (a
     * repeated id that turns archived later in the same pass is not counted again).
     */
    public WriteResult writeToFreshTarget(Connection connection, String tenantId, String appKey, String collectionKey,
                                          List<EntityRow> rows, Instant seenAt, int sampleSize) throws SQLException {
        if (rows.isEmpty()) {
            return WriteResult.NONE;
        }
        Map<String, EntityRow> latest = latest(rows);
        var result = new Tally(sampleSize);
        Savepoint beforeInsert = connection.setSavepoint();
        try {
            inChunks(connection, INSERT, tenantId, appKey, collectionKey, latest.values(), seenAt,
                    PreparedStatement::executeUpdate);
            connection.releaseSavepoint(beforeInsert);
            for (EntityRow row : latest.values()) {
                created(result, row);
            }
            return result.toResult();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(beforeInsert);
        }
        return upsert(connection, tenantId, appKey, collectionKey, rows, seenAt, sampleSize);
    }

    /**
     * Writes a batch in one upsert, without looking anything up first: what it inserted or
     * changed comes back from the statement. Rows it left alone count as unchanged, whether
     * their content was the same or their source time older than the stored one's. For a
     * batch of one or a few rows (a webhook) this saves the lookup's round trip; for large
     * batches {@link #write} sends only the rows that changed.
     */
    public WriteResult upsert(Connection connection, String tenantId, String appKey, String collectionKey,
                              List<EntityRow> rows, Instant seenAt, int sampleSize) throws SQLException {
        if (rows.isEmpty()) {
            return WriteResult.NONE;
        }
        Map<String, EntityRow> latest = latest(rows);
        var result = new Tally(sampleSize);
        long[] written = {0};
        inChunks(connection, UPSERT, tenantId, appKey, collectionKey, latest.values(), seenAt, upsert -> {
            try (var rs = upsert.executeQuery()) {
                while (rs.next()) {
                    written[0]++;
                    String id = rs.getString(1);
                    if (rs.getBoolean(2)) {
                        created(result, latest.get(id));
                    } else {
                        result.updated(id);
                    }
                }
            }
        });
        result.unchanged = latest.size() - written[0]; // unchanged, or stale: the upsert leaves both alone
        return result.toResult();
    }

    /**
     * Deletes (or, with {@code dryRun}, only finds) the rows the source says it deleted; a row
     * whose source time is after its deletion (it came back, or a newer write landed) stays.
     *
     * @return the external ids deleted (or that would be)
     */
    public List<String> remove(Connection connection, String tenantId, String appKey, String collectionKey,
                               Map<String, Instant> deletedAt, boolean dryRun) throws SQLException {
        if (deletedAt.isEmpty()) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(dryRun ? REMOVABLE : REMOVE)) {
            statement.setObject(1, deletedAt.keySet().toArray(String[]::new));
            statement.setObject(2, deletedAt.values().stream().map(Instant::toString).toArray(String[]::new));
            statement.setString(3, tenantId);
            statement.setString(4, appKey);
            statement.setString(5, collectionKey);
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    removed.add(rs.getString(1));
                }
            }
        }
        return removed;
    }

    /**
     * Marks rows archived, as of when the source archived each, keeping their payload (the
     * source said only that they were archived); rows already archived, absent, or newer
     * than the archiving stay as they are.
     *
     * @return how many rows were archived
     */
    public int archive(Connection connection, String tenantId, String appKey, String collectionKey,
                       Map<String, Instant> archivedAt, Instant now) throws SQLException {
        if (archivedAt.isEmpty()) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(ARCHIVE)) {
            statement.setTimestamp(1, Timestamp.from(now));
            statement.setObject(2, archivedAt.keySet().toArray(String[]::new));
            statement.setObject(3, archivedAt.values().stream().map(Instant::toString).toArray(String[]::new));
            statement.setString(4, tenantId);
            statement.setString(5, appKey);
            statement.setString(6, collectionKey);
            return statement.executeUpdate();
        }
    }

    private static void created(Tally result, EntityRow row) {
        result.created(row.externalId());
        if (row.archivedAt() != null) {
            result.archived(row.externalId());
        }
    }

    /** Counts and samples of one batch, filled while classifying it. */
    private static final class Tally {
        private final int sampleSize;
        private long created;
        private long updated;
        private long unchanged;
        private long archived;
        private long stale;
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
            return new WriteResult(created, updated, unchanged, archived, stale, createdSample, updatedSample,
                    archivedSample);
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
                Timestamp updatedAt = rs.getTimestamp(4);
                stored.put(rs.getString(1), new Stored(rs.getBytes(2), rs.getBoolean(3),
                        updatedAt == null ? null : updatedAt.toInstant()));
            }
        }
        return stored;
    }

    /** What to do with each chunk's statement, its parameters set. */
    private interface ChunkAction {
        void run(PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs the insert or the upsert over the rows, in chunks of about {@value #CHUNK_PAYLOAD_CHARS}
     * payload characters: the driver encodes each array parameter into one growing buffer, and
     * buffers of a megabyte or more are "humongous" to G1 — each one starts a concurrent GC
     * cycle, which cost a 237,000-row load about two seconds of CPU with 5,000-row pages.
     * Arrays travel in binary.
     */
    private static void inChunks(Connection connection, String sql, String tenantId, String appKey,
                                 String collectionKey, Collection<EntityRow> rows, Instant seenAt,
                                 ChunkAction action) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            statement.setString(2, appKey);
            statement.setString(3, collectionKey);
            Timestamp seen = Timestamp.from(seenAt);
            statement.setTimestamp(4, seen);
            statement.setTimestamp(5, seen);
            statement.setTimestamp(6, seen);
            List<EntityRow> chunk = new ArrayList<>();
            long chars = 0;
            for (EntityRow row : rows) {
                chunk.add(row);
                chars += row.rawPayload().length();
                if (chars >= CHUNK_PAYLOAD_CHARS) {
                    action.run(withRows(statement, chunk));
                    chunk.clear();
                    chars = 0;
                }
            }
            if (!chunk.isEmpty()) {
                action.run(withRows(statement, chunk));
            }
        }
    }

    private static PreparedStatement withRows(PreparedStatement statement, List<EntityRow> rows) throws SQLException {
        int n = rows.size();
        String[] ids = new String[n];
        String[] payloads = new String[n];
        byte[][] hashes = new byte[n][];
        String[] archivedAt = new String[n];
        String[] createdAt = new String[n];
        String[] updatedAt = new String[n];
        for (int i = 0; i < n; i++) {
            EntityRow row = rows.get(i);
            ids[i] = row.externalId();
            payloads[i] = row.rawPayload();
            hashes[i] = row.contentHash();
            archivedAt[i] = text(row.archivedAt());
            createdAt[i] = text(row.sourceCreatedAt());
            updatedAt[i] = text(row.sourceUpdatedAt());
        }
        statement.setObject(7, ids);
        statement.setObject(8, payloads);
        statement.setObject(9, hashes);
        statement.setObject(10, archivedAt);
        statement.setObject(11, createdAt);
        statement.setObject(12, updatedAt);
        return statement;
    }

    private static void upsert(Connection connection, String tenantId, String appKey, String collectionKey,
                               List<EntityRow> rows, Instant seenAt) throws SQLException {
        inChunks(connection, UPSERT, tenantId, appKey, collectionKey, rows, seenAt,
                upsert -> upsert.executeQuery().close());
    }

    private static String text(Instant value) {
        return value == null ? null : value.toString();
    }
}
