package dev.tributary.db.synclist;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's active sync list items grouped as the scheduled sync pushes them: one group per owner and target
 * app, so each push run is its owner's and holds one target's locks. Runs on the caller's tenant-scoped
 * connection; a scope naming one owner sees only that owner's groups (row-level security), the whole tenant's
 * scope every owner's.
 */
@Singleton
public class ActivePushGroups {

    /** One owner's active items for one target app, oldest first. */
    public record PushGroup(String owner, String targetAppKey, List<UUID> itemIds) {
        public PushGroup {
            itemIds = List.copyOf(itemIds);
        }
    }

    private static final String GROUPS = """
            SELECT owner, target_app_key, array_agg(id ORDER BY created_at, id)
              FROM sync_list_items
             WHERE tenant_id = ? AND active
             GROUP BY owner, target_app_key
             ORDER BY owner, target_app_key""";

    /** The tenant's groups, by owner then target app. */
    public List<PushGroup> of(Connection connection, String tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(GROUPS)) {
            statement.setString(1, tenantId);
            List<PushGroup> groups = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    UUID[] ids = (UUID[]) rs.getArray(3).getArray();
                    groups.add(new PushGroup(rs.getString(1), rs.getString(2), Arrays.asList(ids)));
                }
            }
            return groups;
        }
    }
}
