package dev.tributary.db.entity;

import jakarta.inject.Singleton;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes batches of entities in bulk: the batch is streamed with {@code COPY} into a
 * session-local staging table, classified against the stored rows in one join
 * (new / changed / unchanged / newly archived), then upserted in one statement that
 * touches only new and changed rows — an unchanged hash leaves the row as it is.
 * Runs on the caller's connection, inside its tenant-scoped transaction.
 */
@Singleton
public class EntityWriter {

    private static final HexFormat HEX = HexFormat.of();

    private static final String STAGE = """
            CREATE TEMP TABLE IF NOT EXISTS entity_stage (
                ord integer, external_id text, raw_payload text, content_hash bytea, archived_at timestamptz,
                source_created_at timestamptz, source_updated_at timestamptz
            ) ON COMMIT DELETE ROWS""";

    /** One row per external id (the last of a batch wins), compared with what is stored. */
    private static final String CLASSIFY = """
            WITH incoming AS (
                SELECT DISTINCT ON (external_id) * FROM entity_stage ORDER BY external_id, ord DESC
            )
            SELECT i.external_id,
                   CASE WHEN e.external_id IS NULL THEN 'created'
                        WHEN e.content_hash <> i.content_hash
                          OR (e.archived_at IS NULL) <> (i.archived_at IS NULL) THEN 'updated'
                        ELSE 'unchanged' END AS kind,
                   i.archived_at IS NOT NULL AND (e.external_id IS NULL OR e.archived_at IS NULL) AS newly_archived
              FROM incoming i
              LEFT JOIN entities e ON e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ?
                                  AND e.external_id = i.external_id""";

    private static final String UPSERT = """
            INSERT INTO entities (tenant_id, app_key, collection_key, external_id, raw_payload, content_hash,
                                  archived_at, source_created_at, source_updated_at, first_seen_at, last_seen_at,
                                  updated_at)
            SELECT ?, ?, ?, external_id, raw_payload::jsonb, content_hash, archived_at, source_created_at,
                   source_updated_at, ?, ?, ?
              FROM (SELECT DISTINCT ON (external_id) * FROM entity_stage ORDER BY external_id, ord DESC) incoming
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
                OR (entities.archived_at IS NULL) <> (EXCLUDED.archived_at IS NULL)""";

    /**
     * Writes (or, with {@code dryRun}, only classifies) one batch of a collection.
     *
     * @param sampleSize how many external ids of each kind to report
     */
    public WriteResult write(Connection connection, String tenantId, String appKey, String collectionKey,
                             List<EntityRow> rows, Instant seenAt, boolean dryRun, int sampleSize)
            throws SQLException {
        if (rows.isEmpty()) {
            return WriteResult.NONE;
        }
        try (var statement = connection.createStatement()) {
            statement.execute(STAGE);
            statement.execute("TRUNCATE entity_stage");
        }
        copy(connection, rows);
        WriteResult result = classify(connection, tenantId, appKey, collectionKey, sampleSize);
        if (!dryRun && result.created() + result.updated() > 0) {
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                upsert.setString(1, tenantId);
                upsert.setString(2, appKey);
                upsert.setString(3, collectionKey);
                Timestamp seen = Timestamp.from(seenAt);
                upsert.setTimestamp(4, seen);
                upsert.setTimestamp(5, seen);
                upsert.setTimestamp(6, seen);
                upsert.executeUpdate();
            }
        }
        try (var statement = connection.createStatement()) {
            statement.execute("TRUNCATE entity_stage");
        }
        return result;
    }

    private static WriteResult classify(Connection connection, String tenantId, String appKey, String collectionKey,
                                        int sampleSize) throws SQLException {
        long created = 0;
        long updated = 0;
        long unchanged = 0;
        long archived = 0;
        List<String> createdSample = new ArrayList<>();
        List<String> updatedSample = new ArrayList<>();
        List<String> archivedSample = new ArrayList<>();
        try (PreparedStatement classify = connection.prepareStatement(CLASSIFY)) {
            classify.setString(1, tenantId);
            classify.setString(2, appKey);
            classify.setString(3, collectionKey);
            var rs = classify.executeQuery();
            while (rs.next()) {
                String id = rs.getString(1);
                switch (rs.getString(2)) {
                    case "created" -> {
                        created++;
                        sample(createdSample, id, sampleSize);
                    }
                    case "updated" -> {
                        updated++;
                        sample(updatedSample, id, sampleSize);
                    }
                    default -> unchanged++;
                }
                if (rs.getBoolean(3)) {
                    archived++;
                    sample(archivedSample, id, sampleSize);
                }
            }
        }
        return new WriteResult(created, updated, unchanged, archived, createdSample, updatedSample, archivedSample);
    }

    private static void sample(List<String> sample, String id, int size) {
        if (sample.size() < size) {
            sample.add(id);
        }
    }

    private static void copy(Connection connection, List<EntityRow> rows) throws SQLException {
        StringBuilder csv = new StringBuilder(rows.size() * 512);
        for (int ord = 0; ord < rows.size(); ord++) {
            EntityRow row = rows.get(ord);
            csv.append(ord).append(',');
            quoted(csv, row.externalId()).append(',');
            quoted(csv, row.rawPayload()).append(',');
            csv.append("\\x").append(HEX.formatHex(row.contentHash())).append(',');
            instant(csv, row.archivedAt()).append(',');
            instant(csv, row.sourceCreatedAt()).append(',');
            instant(csv, row.sourceUpdatedAt()).append('\n');
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY entity_stage FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
        } catch (IOException e) {
            throw new SQLException("could not stream the batch to PostgreSQL", e);
        }
    }

    /** CSV: quoted, quotes doubled; an unquoted empty field would be NULL. */
    private static StringBuilder quoted(StringBuilder csv, String value) {
        csv.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                csv.append('"');
            }
            csv.append(c);
        }
        return csv.append('"');
    }

    private static StringBuilder instant(StringBuilder csv, Instant value) {
        return value == null ? csv : csv.append(value);
    }
}
