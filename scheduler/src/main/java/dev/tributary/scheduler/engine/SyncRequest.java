package dev.tributary.scheduler.engine;

import dev.tributary.tenancy.TenantId;

/**
 * One sync to run: a tenant's app, one collection or all ({@code collection} null),
 * full or incremental, for real or as a dry run. {@code forceDeletions} lets a full
 * sync delete more than the deletion guard allows.
 */
public record SyncRequest(TenantId tenant, String appKey, String collection, Mode mode, boolean dryRun,
                          boolean forceDeletions) {

    public enum Mode { FULL, INCREMENTAL }
}
