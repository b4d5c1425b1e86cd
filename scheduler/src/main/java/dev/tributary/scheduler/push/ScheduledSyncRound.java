package dev.tributary.scheduler.push;

import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.engine.Pause;
import dev.tributary.scheduler.run.SyncRuns;
import dev.tributary.tenancy.Tenant;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantRepository;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The operator's scheduled sync (seed 004's service-role {@code scheduled-sync}): for every enabled tenant, its
 * active sync list items queued as push runs ({@link ScheduledPushes}), then a wait — bounded — for those runs
 * to end, and what they did summed up by tenant and owner. The runs are ordinary queued runs: whichever worker
 * takes them pushes them, and a run still going when the wait is over goes on (the report says it is not
 * complete).
 */
@Singleton
public class ScheduledSyncRound {

    /** How often the round looks at its runs while it waits. */
    static final Duration POLL = Duration.ofMillis(250);
    private static final Set<RunStatus> ENDED = Set.of(RunStatus.COMPLETED, RunStatus.COMPLETED_WITH_ERRORS,
            RunStatus.FAILED, RunStatus.DEAD_LETTERED, RunStatus.CANCELLED);
    private static final int TENANT_PAGE = 100;

    /**
     * One owner's share of a tenant's round: its runs (one per target app), their items, and each error as
     * {@code "<item id>: <error>"} — or {@code "run <sync id>: <error>"} for a run that failed as a whole,
     * {@code "<target app>: not queued: <why>"} for items that could not be queued.
     */
    public record OwnerResult(String tenantId, String owner, List<UUID> syncIds, long itemsProcessed,
                              long itemsSucceeded, long itemsFailed, List<String> errors) {
    }

    /**
     * The round: the tenants that had active items, those items, what the runs did with them so far, how long
     * the round took, and whether every run had ended when it answered.
     */
    public record Report(int totalTenants, long totalItems, long itemsProcessed, long itemsSucceeded,
                         long itemsFailed, long durationMs, boolean complete, List<OwnerResult> results) {
    }

    private final TenantRepository tenants;
    private final ScheduledPushes pushes;
    private final SyncRuns runs;
    private final Pause pause;
    private final Clock clock;

    ScheduledSyncRound(TenantRepository tenants, ScheduledPushes pushes, SyncRuns runs, Pause pause, Clock clock) {
        this.tenants = tenants;
        this.pushes = pushes;
        this.runs = runs;
        this.pause = pause;
        this.clock = clock;
    }

    /** Queues every enabled tenant's pushes and waits up to {@code wait} for them to end. */
    public Report run(Duration wait) {
        Instant started = clock.instant();
        List<ScheduledPushes.Queued> queued = new ArrayList<>();
        for (TenantId tenant : enabledTenants()) {
            queued.addAll(pushes.queue(tenant));
        }
        List<SyncRun> ended = awaitEnds(queued.stream().filter(group -> group.run() != null)
                .map(ScheduledPushes.Queued::run).toList(), started.plus(wait));
        return report(queued, ended, Duration.between(started, clock.instant()).toMillis());
    }

    private List<TenantId> enabledTenants() {
        List<TenantId> enabled = new ArrayList<>();
        List<Tenant> page;
        long offset = 0;
        do {
            page = tenants.listNewestFirst(TENANT_PAGE, offset);
            offset += page.size();
            page.stream().filter(tenant -> !tenant.disabled()).map(tenant -> new TenantId(tenant.id()))
                    .forEach(enabled::add);
        } while (page.size() == TENANT_PAGE);
        return enabled;
    }

    /** The runs as they stand once all have ended, the deadline has passed, or the node is shutting down. */
    private List<SyncRun> awaitEnds(List<SyncRun> queued, Instant deadline) {
        List<SyncRun> current = queued;
        while (true) {
            current = current.stream().map(run -> ENDED.contains(run.status()) ? run
                    : runs.find(new TenantId(run.tenantId()), run.id()).orElse(run)).toList();
            Duration left = Duration.between(clock.instant(), deadline);
            if (current.stream().allMatch(run -> ENDED.contains(run.status())) || left.isNegative() || left.isZero()
                    || !pause.await(left.compareTo(POLL) < 0 ? left : POLL)) {
                return current;
            }
        }
    }

    private static Report report(List<ScheduledPushes.Queued> queued, List<SyncRun> ended, long durationMs) {
        Map<UUID, SyncRun> byId = new LinkedHashMap<>();
        ended.forEach(run -> byId.put(run.id(), run));
        Map<List<String>, OwnerTally> byOwner = new LinkedHashMap<>();
        for (ScheduledPushes.Queued group : queued) {
            OwnerTally tally = byOwner.computeIfAbsent(List.of(group.tenant().value(), group.owner()),
                    key -> new OwnerTally(group.tenant().value(), group.owner()));
            tally.items += group.items();
            if (group.run() == null) {
                tally.errors.add(group.targetAppKey() + ": not queued: " + group.error());
            } else {
                tally.add(byId.get(group.run().id()));
            }
        }
        List<OwnerResult> results = byOwner.values().stream().map(OwnerTally::result).toList();
        return new Report((int) byOwner.values().stream().map(tally -> tally.tenantId).distinct().count(),
                byOwner.values().stream().mapToLong(tally -> tally.items).sum(),
                results.stream().mapToLong(OwnerResult::itemsProcessed).sum(),
                results.stream().mapToLong(OwnerResult::itemsSucceeded).sum(),
                results.stream().mapToLong(OwnerResult::itemsFailed).sum(), durationMs,
                ended.stream().allMatch(run -> ENDED.contains(run.status())), results);
    }

    /** One owner's runs added up while the report is made. */
    private static final class OwnerTally {
        private final String tenantId;
        private final String owner;
        private final List<UUID> syncIds = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private long items;
        private long processed;
        private long succeeded;
        private long failed;

        OwnerTally(String tenantId, String owner) {
            this.tenantId = tenantId;
            this.owner = owner;
        }

        void add(SyncRun run) {
            syncIds.add(run.id());
            processed += run.recordsTotal();
            succeeded += run.recordsNew() + run.recordsUpdated() + run.recordsUnchanged();
            failed += run.recordsErrors();
            run.itemErrors().forEach(error -> errors.add(error.itemId() + ": " + error.error()));
            if ((run.status() == RunStatus.FAILED || run.status() == RunStatus.DEAD_LETTERED)
                    && run.errorMessage() != null) {
                errors.add("run " + run.id() + ": " + run.errorMessage());
            }
        }

        OwnerResult result() {
            return new OwnerResult(tenantId, owner, List.copyOf(syncIds), processed, succeeded, failed,
                    List.copyOf(errors));
        }
    }
}
