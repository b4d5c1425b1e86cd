package dev.tributary.scheduler.engine;

import dev.tributary.tenancy.TenantId;

import java.time.Instant;
import java.util.List;

/**
 * One sync to run: a tenant's app, one collection or all ({@code collection} null),
 * full or incremental, for real or as a dry run. {@code forceDeletions} lets a full
 * sync delete more than the deletion guard allows. A targeted sync names
 * {@code ids} to re-fetch one by one, or {@code filters} that narrow what is
 * applied; targeted runs never delete and never advance the collection's state.
 */
public record SyncRequest(TenantId tenant, String appKey, String collection, Mode mode, boolean dryRun,
                          boolean forceDeletions, List<String> ids, Filters filters) {

    public enum Mode { FULL, INCREMENTAL }

    /**
     * Only records whose top-level {@code status} is one of {@code statuses} (when given) and
     * whose source time lies in [{@code from}, {@code to}] (each bound optional).
     */
    public record Filters(List<String> statuses, Instant from, Instant to) {
        public static final Filters NONE = new Filters(List.of(), null, null);

        public Filters {
            statuses = statuses == null ? List.of() : List.copyOf(statuses);
        }

        public boolean narrows() {
            return !statuses.isEmpty() || from != null || to != null;
        }
    }

    public SyncRequest {
        ids = ids == null ? List.of() : List.copyOf(ids);
        filters = filters == null ? Filters.NONE : filters;
    }

    public SyncRequest(TenantId tenant, String appKey, String collection, Mode mode, boolean dryRun,
                       boolean forceDeletions) {
        this(tenant, appKey, collection, mode, dryRun, forceDeletions, List.of(), Filters.NONE);
    }

    public boolean targeted() {
        return !ids.isEmpty() || filters.narrows();
    }
}
