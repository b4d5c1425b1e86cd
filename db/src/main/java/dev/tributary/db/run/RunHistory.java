package dev.tributary.db.run;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The sync history (seed 004): pulls and pushes alike, read from {@code sync_runs} — one history, not a second
 * table that could disagree with it. Each run's {@link SyncType} and {@link HistoryStatus} are computed by the
 * query itself (CASE), so a page filtered by them and its total count the same rows. Runs on the caller's
 * tenant-scoped connection: row-level security shows pulls tenant-wide and push runs only to their owner (or to
 * the whole tenant's scope).
 */
@Singleton
public class RunHistory {

    /** Which runs a page holds: each member narrows it when given. */
    public record Filter(@Nullable SyncType syncType, @Nullable HistoryStatus status, @Nullable String appKey,
                         @Nullable RunKind kind) {
        public static final Filter ALL = new Filter(null, null, null, null);
    }

    /** A run as the history shows it; the counts are records for a pull and sync list items for a push. */
    public record Entry(UUID syncId, RunKind kind, SyncType syncType, HistoryStatus status, RunStatus runStatus,
                        String appKey, @Nullable String collection, @Nullable String owner, RunTrigger trigger,
                        RunMode mode, long processed, long created, long updated, long unchanged, long failed,
                        Instant queuedAt, @Nullable Instant startedAt, @Nullable Instant completedAt,
                        @Nullable Long durationMs) {
    }

    /** A page of entries, newest first, and how many runs match the filter. */
    public record Page(List<Entry> entries, long total) {
    }

    /*
     * The order of the WHEN clauses is the rule: a scheduled run is "scheduled" whatever its mode; a push in
     * delta mode "delta"; any full run "full"; the rest (incremental pulls by hand, retries, webhooks) "manual".
     */
    private static final String HISTORY = """
            SELECT r.*,
                   CASE WHEN r.trigger = 'schedule' THEN 'scheduled'
                        WHEN r.kind = 'push' AND r.mode = 'delta' THEN 'delta'
                        WHEN r.mode = 'full' THEN 'full'
                        ELSE 'manual' END AS sync_type,
                   CASE r.status WHEN 'completed_with_errors' THEN 'partial_success'
                                 WHEN 'dead_lettered' THEN 'failed'
                                 ELSE r.status END AS history_status
              FROM sync_runs r
             WHERE r.tenant_id = ?""";

    private static final String COLUMNS = """
            SELECT h.id, h.kind, h.sync_type, h.history_status, h.status, h.app_key, h.collection_key, h.owner,
                   h.trigger, h.mode, h.records_total, h.records_new, h.records_updated, h.records_unchanged,
                   h.records_errors, h.queued_at, h.started_at, h.completed_at, h.duration_ms""";

    /** A page of at most {@code limit} runs after skipping {@code offset}, newest first, and the filter's total. */
    public Page page(Connection connection, String tenantId, Filter filter, int limit, long offset)
            throws SQLException {
        List<Entry> entries = new ArrayList<>(Math.min(limit, 100));
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS + from(filter)
                + "\n ORDER BY h.queued_at DESC, h.id DESC\n LIMIT ? OFFSET ?")) {
            int i = bind(statement, tenantId, filter);
            statement.setInt(++i, limit);
            statement.setLong(++i, offset);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    entries.add(entry(rs));
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*)" + from(filter))) {
            bind(statement, tenantId, filter);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new Page(List.copyOf(entries), rs.getLong(1));
            }
        }
    }

    /** The history's rows narrowed by the filter; each condition is there only when asked for. */
    private static String from(Filter filter) {
        StringBuilder sql = new StringBuilder("\n  FROM (").append(HISTORY).append(") h\n WHERE true");
        if (filter.syncType() != null) {
            sql.append(" AND h.sync_type = ?");
        }
        if (filter.status() != null) {
            sql.append(" AND h.history_status = ?");
        }
        if (filter.appKey() != null) {
            sql.append(" AND h.app_key = ?");
        }
        if (filter.kind() != null) {
            sql.append(" AND h.kind = ?");
        }
        return sql.toString();
    }

    private static int bind(PreparedStatement statement, String tenantId, Filter filter) throws SQLException {
        int i = 0;
        statement.setString(++i, tenantId);
        if (filter.syncType() != null) {
            statement.setString(++i, filter.syncType().value());
        }
        if (filter.status() != null) {
            statement.setString(++i, filter.status().value());
        }
        if (filter.appKey() != null) {
            statement.setString(++i, filter.appKey());
        }
        if (filter.kind() != null) {
            statement.setString(++i, filter.kind().value());
        }
        return i;
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getObject(1, UUID.class), stored(rs, 2, RunKind::of), stored(rs, 3, SyncType::of),
                stored(rs, 4, HistoryStatus::of), stored(rs, 5, RunStatus::of), rs.getString(6), rs.getString(7),
                rs.getString(8), stored(rs, 9, RunTrigger::of), stored(rs, 10, RunMode::of),
                rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15),
                instant(rs, 16), instant(rs, 17), instant(rs, 18), rs.getObject(19, Long.class));
    }

    private static <T> T stored(ResultSet rs, int column, Function<String, Optional<T>> parse) throws SQLException {
        String text = rs.getString(column);
        return parse.apply(text).orElseThrow(() -> new IllegalStateException("sync_runs holds an unknown value " + text));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
