package dev.tributary.scheduler.engine;

import dev.tributary.db.run.ItemError;
import dev.tributary.db.run.RunCounts;
import dev.tributary.tenancy.TenantId;

import java.util.UUID;

/**
 * What the engine tells a run's record while it works. The run layer owns that record
 * ({@code run/SyncRuns} is the one writer of {@code sync_runs}); the engine only reports,
 * and each report joins the engine's current transaction — a page's counts commit with
 * the page, so a crash loses both or neither and a resumed attempt adds to what the
 * earlier ones did.
 */
public interface RunProgress {

    /** Adds what one page (or a pass's deletions) did to the run's counts. Never called for dry runs. */
    void counted(TenantId tenant, UUID syncId, RunCounts counts);

    /** A note for the run's reader: a fallback taken, deletions skipped and why, records left out. */
    void noted(TenantId tenant, UUID syncId, String note);

    /** A push run's item that could not be pushed, and why (kept with the run, the first hundred). */
    void itemFailed(TenantId tenant, UUID syncId, ItemError error);
}
