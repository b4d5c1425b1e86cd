package dev.tributary.scheduler.push;

import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRun;
import dev.tributary.db.synclist.ActivePushGroups;
import dev.tributary.db.synclist.ActivePushGroups.PushGroup;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The scheduled sync of one tenant (its sync list schedule firing, or the operator's scheduled sync): every
 * active sync list item is pushed in delta mode with trigger {@code schedule}, one push run per owner and
 * target app, each run its owner's. The items are chosen as the system (the whole tenant) and fixed in the
 * runs' requests; the workers then push exactly those.
 */
@Singleton
public class ScheduledPushes {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledPushes.class);

    /**
     * What one owner × target group became: its run, or — when it could not be queued (the items changed
     * meanwhile, the app is gone) — why not.
     */
    public record Queued(TenantId tenant, String owner, String targetAppKey, int items, @Nullable SyncRun run,
                         @Nullable String error) {
    }

    private final ActivePushGroups groups;
    private final Pushes pushes;
    private final TenantScope scope;

    ScheduledPushes(ActivePushGroups groups, Pushes pushes, TenantScope scope) {
        this.groups = groups;
        this.pushes = pushes;
        this.scope = scope;
    }

    /** Queues the tenant's active items as push runs; empty when it has none. */
    public List<Queued> queue(TenantId tenant) {
        List<PushGroup> found = scope.readJdbc(tenant, Ownership.SYSTEM, c -> groups.of(c, tenant.value()));
        List<Queued> queued = new ArrayList<>(found.size());
        for (PushGroup group : found) {
            try {
                SyncRun run = pushes.queue(tenant, group.owner(), group.targetAppKey(), group.itemIds(),
                        RunMode.DELTA, RunTrigger.SCHEDULE, null);
                queued.add(new Queued(tenant, group.owner(), group.targetAppKey(), group.itemIds().size(), run, null));
            } catch (IllegalArgumentException e) {
                // One group's trouble (its items removed or its app deleted since they were read) stops no other.
                LOG.warn("Scheduled push of {} items of {} to {}/{} not queued: {}", group.itemIds().size(),
                        group.owner(), tenant.value(), group.targetAppKey(), e.getMessage());
                queued.add(new Queued(tenant, group.owner(), group.targetAppKey(), group.itemIds().size(), null,
                        e.getMessage()));
            }
        }
        return queued;
    }
}
