package dev.tributary.scheduler.engine;

import dev.tributary.db.run.RunFilters;
import dev.tributary.db.run.RunMode;
import dev.tributary.tenancy.TenantId;

import java.util.List;

/**
 * One sync to run: a tenant's app, one collection or all ({@code collection} null),
 * full or incremental, for real or as a dry run. {@code forceDeletions} lets a full
 * sync delete more than the deletion guard allows. A targeted sync names
 * {@code ids} to re-fetch one by one, or {@code filters} that narrow what is
 * applied; targeted runs never delete and never advance the collection's state.
 */
public record SyncRequest(TenantId tenant, String appKey, String collection, RunMode mode, boolean dryRun,
                          boolean forceDeletions, List<String> ids, RunFilters filters) {

    public SyncRequest {
        ids = ids == null ? List.of() : List.copyOf(ids);
        filters = filters == null ? RunFilters.NONE : filters;
    }

    public SyncRequest(TenantId tenant, String appKey, String collection, RunMode mode, boolean dryRun,
                       boolean forceDeletions) {
        this(tenant, appKey, collection, mode, dryRun, forceDeletions, List.of(), RunFilters.NONE);
    }

    public boolean targeted() {
        return !ids.isEmpty() || filters.narrows();
    }
}
