package dev.tributary.scheduler.push;

import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pushes at once what a webhook changed: the active sync list items with {@code push_on_change} whose source
 * records a webhook just created or updated get a push run (trigger webhook, delta), one per owner and target
 * app, queued in the webhook's own transaction — so the push exists exactly when the change was stored. Other
 * items of those records wait for the next delta run, whose hash comparison sees the change.
 */
@Singleton
public class ChangePushes {

    private final SyncListItems items;
    private final Pushes pushes;
    private final TenantScope scope;

    public ChangePushes(SyncListItems items, Pushes pushes, TenantScope scope) {
        this.items = items;
        this.pushes = pushes;
        this.scope = scope;
    }

    /** Queues the pushes of the records {@code externalIds} of a source app's collection; joins the caller's transaction. */
    public void changed(TenantId tenant, String sourceAppKey, String collection, List<String> externalIds) {
        scope.write(tenant, () -> {
            Map<List<String>, List<UUID>> byOwnerAndTarget = new LinkedHashMap<>();
            for (String externalId : externalIds) {
                List<SyncListItem> listed = scope.readJdbc(tenant, c -> items.pushedOnChange(c, tenant.value(),
                        sourceAppKey, collection, externalId));
                for (SyncListItem item : listed) {
                    byOwnerAndTarget.computeIfAbsent(List.of(item.owner(), item.targetAppKey()), k -> new ArrayList<>())
                            .add(item.id());
                }
            }
            byOwnerAndTarget.forEach((ownerAndTarget, ids) -> pushes.queue(tenant, ownerAndTarget.get(0),
                    ownerAndTarget.get(1), ids, RunMode.DELTA, RunTrigger.WEBHOOK, null));
            return null;
        });
    }
}
