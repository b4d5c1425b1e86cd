package dev.tributary.scheduler.push;

import dev.tributary.db.run.RunFilters;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRun;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.run.SyncQueue;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Queues push runs: sync list items of one target app, chosen by the caller under its owner's scope, become
 * one {@code sync_runs} row of kind push with their ids fixed in its request, and a trigger on the cluster's
 * queue ({@link SyncQueue}). The run's collection is the items' target collection, or null when they go to
 * several. Every push — by hand, by schedule, by webhook — is queued here.
 */
@Singleton
public class Pushes {

    private final SyncQueue queue;
    private final SyncListItems items;
    private final Apps apps;
    private final TenantScope scope;

    public Pushes(SyncQueue queue, SyncListItems items, Apps apps, TenantScope scope) {
        this.queue = queue;
        this.items = items;
        this.apps = apps;
        this.scope = scope;
    }

    /**
     * Queues a push of {@code itemIds} to {@code targetAppKey} for {@code owner} and returns the run as queued.
     * The items must exist and all go to that app (the caller selected them so); retries follow the target
     * app's retry policy.
     *
     * @param mode delta (push what changed since its last successful push) or full (push every item)
     * @throws IllegalArgumentException when there are no items, an item is unknown or goes to another app,
     *                                  the mode is not a push's, or the app does not exist
     */
    public SyncRun queue(TenantId tenant, String owner, String targetAppKey, List<UUID> itemIds, RunMode mode,
                         RunTrigger trigger, @Nullable String idempotencyKey) {
        Objects.requireNonNull(owner, "owner");
        if (mode != RunMode.DELTA && mode != RunMode.FULL) {
            throw new IllegalArgumentException("a push is delta or full, not " + mode.value());
        }
        if (itemIds.isEmpty()) {
            throw new IllegalArgumentException("a push needs at least one sync list item");
        }
        LoadedApp app = apps.load(tenant, targetAppKey)
                .orElseThrow(() -> new IllegalArgumentException("no app " + targetAppKey));
        return scope.write(tenant, () -> {
            List<SyncListItem> listed = scope.readJdbc(tenant, c -> items.all(c, tenant.value(),
                    new SyncListItems.Filter(itemIds, null, null, null, null, null, null)));
            if (listed.size() != itemIds.stream().distinct().count()) {
                throw new IllegalArgumentException("unknown sync list items among " + itemIds);
            }
            if (listed.stream().anyMatch(item -> !item.targetAppKey().equals(targetAppKey))) {
                throw new IllegalArgumentException("sync list items of another target app than " + targetAppKey);
            }
            List<String> collections = listed.stream().map(SyncListItem::targetCollection).distinct().toList();
            SyncRequest request = new SyncRequest(tenant, targetAppKey, collections.size() == 1 ? collections.get(0)
                    : null, mode, false, false, listed.stream().map(item -> item.id().toString()).toList(),
                    RunFilters.NONE);
            return queue.enqueuePush(request, owner, trigger, app.maxAttempts(), idempotencyKey);
        });
    }
}
