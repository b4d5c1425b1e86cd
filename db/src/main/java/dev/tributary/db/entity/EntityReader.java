package dev.tributary.db.entity;

import dev.tributary.db.filter.FilterCondition;
import dev.tributary.db.filter.FilterConfig;
import dev.tributary.db.state.SyncStates;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a collection's entities a page at a time, on the caller's tenant-scoped
 * connection. Pages follow the primary key: a page is the rows whose external id comes
 * after the last one the reader saw, so a row that a sync rewrites meanwhile keeps its
 * place, and paging to the end sees every row that existed throughout exactly once
 * (an offset would skip or repeat rows as others come and go). The plain page is an
 * index scan of the primary key that stops at the page's end; {@code modified_after}
 * can use {@code entities_updated} (V12) when few rows qualify. It also tells a sync whether a
 * target holds anything yet (a full pass on an empty one is a first load).
 */
@Singleton
public class EntityReader {

    /**
     * An entity as readers see it: the stored JSON text, and when it was last seen at the
     * source — the later of its own {@code last_seen_at} and the collection's last successful
     * full sync, when the row lies inside the {@code sync_from} window that sync read: an
     * unchanged row is not rewritten by a sync (DESIGN §5), and a row such a sync did not see
     * would have been deleted by it.
     */
    public record StoredEntity(String externalId, String payload, Instant archivedAt, Instant sourceCreatedAt,
                               Instant sourceUpdatedAt, Instant firstSeenAt, Instant lastSeenAt, Instant updatedAt) {
    }

    /**
     * Which rows a page holds: those after {@code afterExternalId} (null: from the first),
     * written after {@code modifiedAfter} (null: whenever), archived ones only with
     * {@code includeArchived}, only the external ids in {@code ids} when it is not empty, and
     * only those a saved filter's {@code filter} matches (null: no filter).
     */
    public record Selection(String afterExternalId, Instant modifiedAfter, boolean includeArchived, List<String> ids,
                            FilterConfig filter) {
        public Selection {
            ids = List.copyOf(ids);
        }

        /** A selection without a filter. */
        public Selection(String afterExternalId, Instant modifiedAfter, boolean includeArchived, List<String> ids) {
            this(afterExternalId, modifiedAfter, includeArchived, ids, null);
        }

        private FilterCondition condition() {
            return filter == null || filter.equals(FilterConfig.NONE) ? null : filter.condition();
        }
    }

    /** Up to a page of rows in external-id order, and whether more rows follow them. */
    public record Page(List<StoredEntity> entities, boolean more) {
    }

    /**
     * The window is the one a full sync reads and may delete ({@link SeenSets#IN_WINDOW}); greatest()
     * ignores the last full sync's null when none has succeeded yet.
     */
    private static final String LAST_SEEN = "CASE WHEN " + SeenSets.IN_WINDOW
            + " THEN greatest(e.last_seen_at, " + SyncStates.LAST_FULL_SYNC_AT + ")"
            + " ELSE e.last_seen_at END";

    private static final String SELECT = """
            SELECT e.external_id, e.raw_payload::text, e.archived_at, e.source_created_at, e.source_updated_at,
                   e.first_seen_at, %s, e.updated_at
              FROM entities e
             WHERE e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ?""".formatted(LAST_SEEN);

    // Each optional condition is added only when asked for, so every combination gets a plan of its own.
    private static final String AFTER = "\n   AND e.external_id > ?";
    private static final String MODIFIED_AFTER = "\n   AND e.updated_at > ?";
    private static final String NOT_ARCHIVED = "\n   AND e.archived_at IS NULL";
    private static final String AMONG_IDS = "\n   AND e.external_id = ANY (?::text[])";
    private static final String ORDER = "\n ORDER BY e.external_id\n LIMIT ?";

    /**
     * One page of at most {@code limit} rows of the collection.
     *
     * @param syncFrom the app's {@code sync_from} (null when it has none), which bounds what its full syncs read
     */
    public Page page(Connection connection, String tenantId, String appKey, String collectionKey, Instant syncFrom,
                     Selection selection, int limit) throws SQLException {
        try (PreparedStatement statement = prepare(connection, "", tenantId, appKey, collectionKey, syncFrom,
                selection, limit)) {
            List<StoredEntity> rows = new ArrayList<>(limit + 1);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new StoredEntity(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
                            instant(rs, 5), instant(rs, 6), instant(rs, 7), instant(rs, 8)));
                }
            }
            boolean more = rows.size() > limit;
            return new Page(more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows), more);
        }
    }

    /** Whether the target holds no entities at all. */
    public boolean isEmpty(Connection connection, String tenantId, String appKey, String collectionKey)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM entities"
                + " WHERE tenant_id = ? AND app_key = ? AND collection_key = ?)")) {
            statement.setString(1, tenantId);
            statement.setString(2, appKey);
            statement.setString(3, collectionKey);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * The page's statement with its parameters bound; {@code prefix} goes before it (tests
     * put {@code EXPLAIN} there to see the plan the page gets).
     */
    static PreparedStatement prepare(Connection connection, String prefix, String tenantId, String appKey,
                                     String collectionKey, Instant syncFrom, Selection selection, int limit)
            throws SQLException {
        FilterCondition condition = selection.condition();
        PreparedStatement statement = connection.prepareStatement(prefix + sql(selection, condition));
        try {
            bind(statement, tenantId, appKey, collectionKey, syncFrom, selection, condition, limit);
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement statement, String tenantId, String appKey, String collectionKey,
                             Instant syncFrom, Selection selection, FilterCondition condition, int limit)
            throws SQLException {
        int i = 0;
        Timestamp from = syncFrom == null ? null : Timestamp.from(syncFrom);
        statement.setTimestamp(++i, from);
        statement.setTimestamp(++i, from);
        for (int target = 0; target < 2; target++) { // the full sync's target, then the page's
            statement.setString(++i, tenantId);
            statement.setString(++i, appKey);
            statement.setString(++i, collectionKey);
        }
        if (selection.afterExternalId() != null) {
            statement.setString(++i, selection.afterExternalId());
        }
        if (selection.modifiedAfter() != null) {
            statement.setTimestamp(++i, Timestamp.from(selection.modifiedAfter()));
        }
        if (!selection.ids().isEmpty()) {
            statement.setObject(++i, selection.ids().toArray(String[]::new));
        }
        if (condition != null) {
            i = condition.bind(statement, i + 1) - 1;
        }
        statement.setInt(++i, limit + 1); // one more than the page: whether another page follows
    }

    private static String sql(Selection selection, FilterCondition condition) {
        StringBuilder sql = new StringBuilder(SELECT);
        if (selection.afterExternalId() != null) {
            sql.append(AFTER);
        }
        if (selection.modifiedAfter() != null) {
            sql.append(MODIFIED_AFTER);
        }
        if (!selection.includeArchived()) {
            sql.append(NOT_ARCHIVED);
        }
        if (!selection.ids().isEmpty()) {
            sql.append(AMONG_IDS);
        }
        if (condition != null) {
            sql.append("\n   AND ").append(condition.sql());
        }
        return sql.append(ORDER).toString();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
