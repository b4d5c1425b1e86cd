package dev.tributary.db.synclist;

import dev.tributary.db.filter.FilterCondition;
import dev.tributary.db.filter.SavedFilter;
import dev.tributary.db.run.RunMode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code sync_list_items}: the persistent sync list. Every method runs on the caller's tenant-scoped
 * connection, whose scope names an owner or the whole tenant; row-level security then admits only that
 * owner's items, so a method never filters by owner itself (the API's callers see their own items, a
 * {@code sync:admin} and the push workers the tenant's). JSON columns are read and written through the
 * service's JSON mapper.
 */
@Singleton
public class SyncListItems {

    /** An item to add; {@code fieldMapping} null: the target app's mapping (or none) applies. */
    public record NewItem(String owner, String sourceAppKey, String collection, String sourceId, String targetAppKey,
                          String targetCollection, RunMode mode, boolean active, boolean pushOnChange,
                          @Nullable Map<String, Object> fieldMapping, Map<String, Object> metadata) {
    }

    /** What adding an item did. */
    public sealed interface Insertion {
        /** The item, as stored. */
        record Added(SyncListItem item) implements Insertion {
        }

        /** The list already holds that source record for that target (of any owner: it is one target record). */
        record Exists() implements Insertion {
        }
    }

    /**
     * Which items a list, count or push selects; a null member does not narrow. {@code ids}: only these;
     * {@code collection}: the source collection.
     */
    public record Filter(@Nullable List<UUID> ids, @Nullable ItemStatus status, @Nullable String collection,
                         @Nullable RunMode mode, @Nullable Boolean active, @Nullable String targetAppKey,
                         @Nullable UUID savedFilterId) {
        public static final Filter ALL = new Filter(null, null, null, null, null, null, null);
    }

    /** A change to an item; a null member leaves that column as it is. */
    public record Patch(@Nullable RunMode mode, @Nullable Boolean active, @Nullable Boolean pushOnChange,
                        @Nullable Map<String, Object> fieldMapping, @Nullable Map<String, Object> metadata) {
    }

    /**
     * How one push of an item ended, at {@code at}, in run {@code syncId}. A success names the target's id and
     * the hash of the body pushed; a failure its error, keeping the target id and hash the item had (null).
     */
    public record PushResult(ItemStatus status, @Nullable String error, @Nullable String targetId,
                             @Nullable byte[] pushedHash, Instant at, UUID syncId) {
    }

    /**
     * What adding a saved filter's matches did: the items new to the list (as stored, by source id), and how many
     * matches the list already held.
     */
    public record FilterAddition(List<SyncListItem> added, long alreadyListed) {
        public FilterAddition {
            added = List.copyOf(added);
        }
    }

    private static final Argument<Map<String, Object>> OBJECT = Argument.mapOf(String.class, Object.class);
    private static final String COLUMNS = "id, owner, source_app_key, collection_key, source_id, target_app_key,"
            + " target_collection, target_id, sync_mode, active, push_on_change, last_synced_at, last_sync_status,"
            + " last_sync_id, error_message, saved_filter_id, filter_config::text, field_mapping::text, metadata::text,"
            + " last_pushed_hash, created_at, updated_at";
    private static final String FILTER = " WHERE tenant_id = ?"
            + " AND (CAST(? AS uuid[]) IS NULL OR id = ANY (CAST(? AS uuid[])))"
            + " AND (CAST(? AS text) IS NULL OR last_sync_status = ?)"
            + " AND (CAST(? AS text) IS NULL OR collection_key = ?)"
            + " AND (CAST(? AS text) IS NULL OR sync_mode = ?)"
            + " AND (CAST(? AS boolean) IS NULL OR active = ?)"
            + " AND (CAST(? AS text) IS NULL OR target_app_key = ?)"
            + " AND (CAST(? AS uuid) IS NULL OR saved_filter_id = ?)";
    /** Where {@link #insertFromFilter}'s rows hold the number of matches: after the item's columns. */
    private static final int MATCHES_COLUMN = 23;
    private static final String NEWEST_FIRST = " ORDER BY created_at DESC, id DESC";

    private final JsonMapper json;

    public SyncListItems(JsonMapper json) {
        this.json = json;
    }

    /** Adds an item for its owner (whom the connection's scope must admit); {@link Insertion.Exists} when listed. */
    public Insertion insert(Connection c, String tenant, NewItem item) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sync_list_items (tenant_id, id, owner,"
                + " source_app_key, collection_key, source_id, target_app_key, target_collection, sync_mode, active,"
                + " push_on_change, field_mapping, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb),"
                + " CAST(? AS jsonb)) ON CONFLICT DO NOTHING RETURNING " + COLUMNS)) {
            s.setString(1, tenant);
            s.setObject(2, UUID.randomUUID());
            s.setString(3, item.owner());
            s.setString(4, item.sourceAppKey());
            s.setString(5, item.collection());
            s.setString(6, item.sourceId());
            s.setString(7, item.targetAppKey());
            s.setString(8, item.targetCollection());
            s.setString(9, item.mode().value());
            s.setBoolean(10, item.active());
            s.setBoolean(11, item.pushOnChange());
            s.setString(12, text(item.fieldMapping()));
            s.setString(13, text(item.metadata()));
            List<SyncListItem> added = items(s);
            return added.isEmpty() ? new Insertion.Exists() : new Insertion.Added(added.get(0));
        }
    }

    /**
     * Adds every record a saved filter matches among its source collection's synced, non-archived records, for
     * {@code owner}, in one statement: each item keeps the filter's id and a copy of its filter_config, and goes
     * to the filter's target; a record the list already holds for that target is left as it is. Returns the
     * items it added.
     *
     * @param fieldMapping the items' field mapping, or null (the target app's applies)
     */
    public FilterAddition insertFromFilter(Connection c, String tenant, String owner, SavedFilter filter,
                                           RunMode mode, boolean pushOnChange,
                                           @Nullable Map<String, Object> fieldMapping) throws SQLException {
        FilterCondition condition = filter.filter().condition();
        try (PreparedStatement s = c.prepareStatement("""
                WITH matches AS (
                    SELECT e.external_id FROM entities e
                     WHERE e.tenant_id = ? AND e.app_key = ? AND e.collection_key = ? AND e.archived_at IS NULL
                       AND %s),
                added AS (
                    INSERT INTO sync_list_items (tenant_id, id, owner, source_app_key, collection_key, source_id,
                                                 target_app_key, target_collection, sync_mode, push_on_change,
                                                 saved_filter_id, filter_config, field_mapping)
                    SELECT ?, gen_random_uuid(), ?, ?, ?, m.external_id, ?, ?, ?, ?, ?, CAST(? AS jsonb),
                           CAST(? AS jsonb)
                      FROM matches m
                    ON CONFLICT DO NOTHING RETURNING %s)
                SELECT a.*, m.total
                  FROM (SELECT count(*) AS total FROM matches) m LEFT JOIN added a ON true
                 ORDER BY a.source_id""".formatted(condition.sql(), COLUMNS))) {
            int i = 0;
            s.setString(++i, tenant);
            s.setString(++i, filter.sourceAppKey());
            s.setString(++i, filter.collectionKey());
            i = condition.bind(s, i + 1) - 1;
            s.setString(++i, tenant);
            s.setString(++i, owner);
            s.setString(++i, filter.sourceAppKey());
            s.setString(++i, filter.collectionKey());
            s.setString(++i, filter.targetAppKey());
            s.setString(++i, filter.targetCollection());
            s.setString(++i, mode.value());
            s.setBoolean(++i, pushOnChange);
            s.setObject(++i, filter.id());
            s.setString(++i, text(filter.filterConfig()));
            s.setString(++i, text(fieldMapping));
            // One row a new item, or a single row of nulls beside the count when nothing was added.
            try (ResultSet rs = s.executeQuery()) {
                List<SyncListItem> added = new ArrayList<>();
                long matches = 0;
                while (rs.next()) {
                    matches = rs.getLong(MATCHES_COLUMN);
                    if (rs.getObject(1) != null) {
                        added.add(item(rs));
                    }
                }
                return new FilterAddition(added, matches - added.size());
            }
        }
    }

    /** A page of the items the scope admits, newest first. */
    public List<SyncListItem> list(Connection c, String tenant, Filter filter, int limit, long offset)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM sync_list_items" + FILTER
                + NEWEST_FIRST + " LIMIT ? OFFSET ?")) {
            int i = bind(s, tenant, filter);
            s.setInt(++i, limit);
            s.setLong(++i, offset);
            return items(s);
        }
    }

    /** Every item the filter selects, oldest first (the order a push goes through them). */
    public List<SyncListItem> all(Connection c, String tenant, Filter filter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM sync_list_items" + FILTER
                + " ORDER BY created_at, id")) {
            bind(s, tenant, filter);
            return items(s);
        }
    }

    /** How many items {@link #list} pages through. */
    public long count(Connection c, String tenant, Filter filter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM sync_list_items" + FILTER)) {
            bind(s, tenant, filter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public Optional<SyncListItem> find(Connection c, String tenant, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM sync_list_items"
                + " WHERE tenant_id = ? AND id = ?")) {
            s.setString(1, tenant);
            s.setObject(2, id);
            return items(s).stream().findFirst();
        }
    }

    /** Changes an item; empty when the scope admits no such item. */
    public Optional<SyncListItem> patch(Connection c, String tenant, UUID id, Patch patch) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sync_list_items SET"
                + " sync_mode = coalesce(?, sync_mode), active = coalesce(?, active),"
                + " push_on_change = coalesce(?, push_on_change),"
                + " field_mapping = coalesce(CAST(? AS jsonb), field_mapping), metadata = coalesce(CAST(? AS jsonb), metadata),"
                + " updated_at = now() WHERE tenant_id = ? AND id = ? RETURNING " + COLUMNS)) {
            s.setString(1, patch.mode() == null ? null : patch.mode().value());
            s.setObject(2, patch.active());
            s.setObject(3, patch.pushOnChange());
            s.setString(4, text(patch.fieldMapping()));
            s.setString(5, text(patch.metadata()));
            s.setString(6, tenant);
            s.setObject(7, id);
            return items(s).stream().findFirst();
        }
    }

    /** Removes an item; false when the scope admits no such item. */
    public boolean delete(Connection c, String tenant, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM sync_list_items WHERE tenant_id = ? AND id = ?")) {
            s.setString(1, tenant);
            s.setObject(2, id);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * The active items that push as soon as a webhook changes their source record (push_on_change), oldest
     * first.
     */
    public List<SyncListItem> pushedOnChange(Connection c, String tenant, String sourceAppKey, String collection,
                                             String sourceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM sync_list_items"
                + " WHERE tenant_id = ? AND source_app_key = ? AND collection_key = ? AND source_id = ?"
                + " AND active AND push_on_change ORDER BY created_at, id")) {
            s.setString(1, tenant);
            s.setString(2, sourceAppKey);
            s.setString(3, collection);
            s.setString(4, sourceId);
            return items(s);
        }
    }

    /** Records how a push of the item ended; false when the item is gone (deleted while its run ran). */
    public boolean recordPush(Connection c, String tenant, UUID id, PushResult result) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sync_list_items SET last_sync_status = ?,"
                + " error_message = ?, target_id = coalesce(?, target_id),"
                + " last_pushed_hash = coalesce(?, last_pushed_hash), last_synced_at = ?, last_sync_id = ?,"
                + " updated_at = now() WHERE tenant_id = ? AND id = ?")) {
            s.setString(1, result.status().value());
            s.setString(2, result.error());
            s.setString(3, result.targetId());
            s.setBytes(4, result.pushedHash());
            s.setTimestamp(5, Timestamp.from(result.at()));
            s.setObject(6, result.syncId());
            s.setString(7, tenant);
            s.setObject(8, id);
            return s.executeUpdate() == 1;
        }
    }

    private static int bind(PreparedStatement s, String tenant, Filter filter) throws SQLException {
        int i = 0;
        s.setString(++i, tenant);
        UUID[] ids = filter.ids() == null ? null : filter.ids().toArray(UUID[]::new);
        s.setObject(++i, ids);
        s.setObject(++i, ids);
        String status = filter.status() == null ? null : filter.status().value();
        s.setString(++i, status);
        s.setString(++i, status);
        s.setString(++i, filter.collection());
        s.setString(++i, filter.collection());
        String mode = filter.mode() == null ? null : filter.mode().value();
        s.setString(++i, mode);
        s.setString(++i, mode);
        s.setObject(++i, filter.active(), java.sql.Types.BOOLEAN);
        s.setObject(++i, filter.active(), java.sql.Types.BOOLEAN);
        s.setString(++i, filter.targetAppKey());
        s.setString(++i, filter.targetAppKey());
        s.setObject(++i, filter.savedFilterId(), java.sql.Types.OTHER);
        s.setObject(++i, filter.savedFilterId(), java.sql.Types.OTHER);
        return i;
    }

    private List<SyncListItem> items(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            List<SyncListItem> items = new ArrayList<>();
            while (rs.next()) {
                items.add(item(rs));
            }
            return items;
        }
    }

    private SyncListItem item(ResultSet rs) throws SQLException {
        return new SyncListItem(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                RunMode.push(rs.getString(9)).orElseThrow(), rs.getBoolean(10), rs.getBoolean(11),
                instant(rs.getTimestamp(12)), ItemStatus.of(rs.getString(13)).orElseThrow(),
                rs.getObject(14, UUID.class), rs.getString(15), rs.getObject(16, UUID.class), object(rs.getString(17)),
                object(rs.getString(18)), object(rs.getString(19)), rs.getBytes(20), rs.getTimestamp(21).toInstant(),
                rs.getTimestamp(22).toInstant());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private Map<String, Object> object(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("a sync list item holds JSON that does not read back", e);
        }
    }

    private String text(Map<String, Object> value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("a sync list item's JSON could not be written", e);
        }
    }
}
