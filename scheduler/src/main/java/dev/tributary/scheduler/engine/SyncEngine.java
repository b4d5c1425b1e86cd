package dev.tributary.scheduler.engine;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.json.CanonicalJson;
import dev.tributary.db.DatabaseFailure;
import dev.tributary.db.entity.EntityReader;
import dev.tributary.db.entity.EntityRow;
import dev.tributary.db.entity.EntityWriter;
import dev.tributary.db.entity.SeenSets;
import dev.tributary.db.entity.WriteResult;
import dev.tributary.db.quality.DataQualitySnapshots;
import dev.tributary.db.run.DryRunPreview;
import dev.tributary.db.run.RunCounts;
import dev.tributary.db.run.RunFilters;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.SyncRecords;
import dev.tributary.db.state.SyncState;
import dev.tributary.db.state.SyncStates;
import dev.tributary.tenancy.TenantScope;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs one sync of one target to completion, synchronously: for each collection it
 * chooses the kind of pass once ({@link Pass}: a first load, a full re-sync, an
 * incremental sync, a targeted one or a dry run of one of those), then every page the
 * connector yields is hashed and written in bulk, with the cursor it reached, in one
 * tenant-scoped transaction; a full re-sync then deletes what it did not see (inside
 * {@code sync_from}, behind the deletion guard) and the collection's state advances —
 * only on success, so a failed run resumes from its last page. A dry run classifies
 * everything and writes nothing but returns a preview. Each page's counts go to the
 * run's record ({@link RunProgress}) in the page's own transaction.
 */
@Singleton
public class SyncEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    private static final int SAMPLE = 20;
    /** How long a stopped pass waits for its reading thread to leave the source before going on without it. */
    private static final Duration READER_CLOSE_WAIT = Duration.ofSeconds(5);

    private final TenantScope scope;
    private final EntityWriter writer;
    private final EntityReader reader;
    private final SyncStates states;
    private final SeenSets seenSets;
    private final SyncRecords records;
    private final EngineConfiguration configuration;
    private final Pause pause;
    private final Clock clock;
    private final DataQualitySnapshots snapshots;
    private final RunProgress runs;

    public SyncEngine(TenantScope scope, EntityWriter writer, EntityReader reader, SyncStates states,
                      SeenSets seenSets, SyncRecords records, EngineConfiguration configuration, Pause pause,
                      Clock clock, DataQualitySnapshots snapshots, RunProgress runs) {
        this.scope = scope;
        this.writer = writer;
        this.reader = reader;
        this.states = states;
        this.seenSets = seenSets;
        this.records = records;
        this.configuration = configuration;
        this.pause = pause;
        this.clock = clock;
        this.snapshots = snapshots;
        this.runs = runs;
    }

    /** What one collection's sync did, and anything that makes the run complete "with errors". */
    private record CollectionResult(RunCounts counts, String problem, Map<String, List<String>> samples) {
    }

    /** Told after every page what the run has done so far (for the command line's progress lines). */
    public interface Progress {
        Progress NONE = (collection, soFar) -> { };

        void afterPage(String collection, RunCounts soFar);

        /** Asked after every page: whether to stop there (the run ends cancelled). */
        default boolean cancelled() {
            return false;
        }

        /**
         * Asked before every write: whether this attempt lost its hold on the target (the connection
         * holding its lock broke), so another run may be writing it — then it stops, to be retried.
         */
        default boolean lockLost() {
            return false;
        }
    }

    /**
     * The collections a run syncs, resolved once from its request and its app's connector: the run
     * layer locks them, then hands them to {@link #run(UUID, SyncRequest, Connector, AppContext, List, Progress)}.
     */
    public sealed interface Target {

        /** The run syncs these collections. */
        record Resolved(List<String> collections) implements Target {
        }

        /** The run cannot sync at all, for {@code reason} (its app's configuration, its collection). */
        record Refused(String reason) implements Target {
        }
    }

    /** Unwinds a run from a page boundary to {@link #run} when it was cancelled. */
    private static final class RunCancelled extends RuntimeException {
        RunCancelled() {
            super(null, null, false, false);
        }
    }

    /** Unwinds a run to {@link #run} when its attempt may not go on but another may: it ends RetryLater. */
    private static final class AttemptStopped extends RuntimeException {
        AttemptStopped(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The collections the request syncs: all the app's, or the one it names, which must be one of them. */
    public Target target(SyncRequest request, Connector connector, AppContext app) {
        List<String> collections;
        try {
            collections = connector.collections(app);
        } catch (ConnectorException.ConfigInvalid e) {
            return new Target.Refused("app configuration is invalid: " + ConnectorException.describe(e));
        }
        if (request.collection() != null) {
            if (!collections.contains(request.collection())) {
                return new Target.Refused("app " + request.appKey() + " has no collection " + request.collection());
            }
            collections = List.of(request.collection());
        }
        if (!request.ids().isEmpty() && collections.size() != 1) {
            return new Target.Refused("a sync of ids needs one collection; name it");
        }
        return new Target.Resolved(collections);
    }

    public SyncOutcome run(UUID syncId, SyncRequest request, Connector connector, AppContext app) {
        return run(syncId, request, connector, app, Progress.NONE);
    }

    /** Resolves the run's collections ({@link #target}) and syncs them. */
    public SyncOutcome run(UUID syncId, SyncRequest request, Connector connector, AppContext app, Progress progress) {
        Target target = target(request, connector, app);
        if (target instanceof Target.Refused refused) {
            return new SyncOutcome.Failed(RunCounts.ZERO, refused.reason());
        }
        return run(syncId, request, connector, app, ((Target.Resolved) target).collections(), progress);
    }

    /** Syncs {@code collections}, the run's as {@link #target} resolved them, one after the other. */
    public SyncOutcome run(UUID syncId, SyncRequest request, Connector connector, AppContext app,
                           List<String> collections, Progress progress) {
        RunCounts counts = RunCounts.ZERO; // of the collections done
        RunCounts[] current = {RunCounts.ZERO}; // of the collection under way, page by page
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, List<String>>> samples = new LinkedHashMap<>();
        for (String collection : collections) {
            current[0] = RunCounts.ZERO;
            try {
                RunCounts before = counts;
                CollectionResult result = syncCollection(syncId, request, connector, app, collection, progress,
                        soFar -> {
                            current[0] = soFar;
                            progress.afterPage(collection, before.plus(soFar));
                            if (progress.cancelled()) {
                                throw new RunCancelled();
                            }
                        });
                counts = counts.plus(result.counts());
                if (result.problem() != null) {
                    problems.add(result.problem());
                }
                samples.put(collection, result.samples());
            } catch (ConnectorException e) {
                String error = collection + ": " + ConnectorException.describe(e);
                if (!e.retriable()) {
                    return new SyncOutcome.Failed(counts.plus(current[0]), error);
                }
                return new SyncOutcome.RetryLater(counts.plus(current[0]), error,
                        e instanceof ConnectorException.RateLimited limited ? limited.retryAfter() : null);
            } catch (RunCancelled e) {
                return new SyncOutcome.Cancelled(counts.plus(current[0]));
            } catch (AttemptStopped | ReadAhead.PageTimeout e) {
                LOG.warn("Sync {} of {}/{} stopped: {}", syncId, request.appKey(), collection, e.getMessage());
                return new SyncOutcome.RetryLater(counts.plus(current[0]), collection + ": " + e.getMessage(), null);
            } catch (ReadAhead.SourceFailure e) {
                LOG.error("Sync {} of {}/{} failed in its source", syncId, request.appKey(), collection, e.getCause());
                return new SyncOutcome.RetryLater(counts.plus(current[0]), collection + ": "
                        + internalError(e.getCause()), null);
            } catch (RuntimeException e) {
                // Only the engine's own work is left here: its database work, or a fault of its own.
                boolean database = DatabaseFailure.causedBy(e);
                LOG.error("Sync {} of {}/{} failed{}", syncId, request.appKey(), collection,
                        database ? " on the database side" : "", e);
                // Sanitized: the run's reader learns what kind of failure it was, the log has the rest.
                return new SyncOutcome.RetryLater(counts.plus(current[0]), collection + ": "
                        + (database ? "database error" : internalError(e)), null);
            }
        }
        DryRunPreview preview = request.dryRun() ? new DryRunPreview(counts, samples) : null;
        if (!problems.isEmpty() || counts.errors() > 0) {
            String message = problems.isEmpty() ? counts.errors() + " records failed; see the run's failures"
                    : String.join("; ", problems);
            return new SyncOutcome.CompletedWithErrors(counts, message, preview, !problems.isEmpty());
        }
        return new SyncOutcome.Completed(counts, preview);
    }

    private static String internalError(Throwable failure) {
        return "internal error (" + failure.getClass().getSimpleName() + "); the node's log has the details";
    }

    /**
     * The kind of pass a collection's sync makes. Choosing a full pass on an empty collection
     * (a first load) forgets the seen-set of any earlier pass; resuming one keeps what it knew.
     */
    private Pass pass(UUID syncId, SyncRequest request, Connector connector, String collection, Instant started) {
        if (!request.ids().isEmpty()) {
            return dryRunOf(request, new Pass.ByIds(request.ids()));
        }
        String tenant = request.tenant().value();
        String appKey = request.appKey();
        Optional<SyncState> state = scope.readJdbc(request.tenant(), c -> states.find(c, tenant, appKey, collection));
        boolean full = request.mode() == RunMode.FULL
                || !canIncrement(syncId, request, connector, collection, state, started);
        Instant since = full ? null : state.get().lastSyncedAt();
        if (request.filters().narrows()) {
            return dryRunOf(request, new Pass.Filtered(since));
        }
        RunMode mode = full ? RunMode.FULL : RunMode.INCREMENTAL;
        Optional<SyncState> interrupted = state.filter(s -> s.cursorOf(mode) != null);
        Pass.Resume resume = interrupted.map(s -> new Pass.Resume(s.cursor(), s.cursorAfterUnidentifiedFailures()))
                .orElse(Pass.Resume.NONE);
        if (!full) {
            return dryRunOf(request, new Pass.Incremental(since, resume));
        }
        if (request.dryRun()) {
            return new Pass.DryRun(new Pass.FullResync(resume));
        }
        boolean freshTarget = interrupted.isPresent() ? interrupted.get().cursorOnFreshTarget()
                : scope.writeJdbc(request.tenant(), c -> {
                    seenSets.clear(c, tenant, appKey, collection);
                    return reader.isEmpty(c, tenant, appKey, collection);
                });
        return freshTarget ? new Pass.FirstLoad(resume) : new Pass.FullResync(resume);
    }

    private static Pass dryRunOf(SyncRequest request, Pass pass) {
        return request.dryRun() ? new Pass.DryRun(pass) : pass;
    }

    /** What a pass of this kind keeps as its cursor's mode, so that only a pass of the same kind resumes it. */
    private static RunMode cursorMode(Pass pass) {
        if (pass instanceof Pass.FirstLoad || pass instanceof Pass.FullResync) {
            return RunMode.FULL;
        }
        return pass instanceof Pass.Incremental ? RunMode.INCREMENTAL : null;
    }

    private CollectionResult syncCollection(UUID syncId, SyncRequest request, Connector connector, AppContext app,
                                            String collection, Progress progress, Consumer<RunCounts> afterPage)
            throws ConnectorException {
        Instant started = clock.instant();
        Pass pass = pass(syncId, request, connector, collection, started);
        boolean dryRun = pass instanceof Pass.DryRun;
        Pass kind = pass instanceof Pass.DryRun dry ? dry.pass() : pass;
        if (kind instanceof Pass.ByIds byIds) {
            return syncIds(syncId, request, connector, app, collection, progress, pass, byIds.ids());
        }
        String tenant = request.tenant().value();
        String appKey = request.appKey();
        var fetch = new FetchRequest(collection, pass.since(), pass.resume().cursor());
        // Records that failed without an id may be any stored record: a pass that met one (in this
        // attempt, or in the interrupted one it resumes) cannot tell what the source still has.
        boolean unidentifiedFailures = pass.resume().afterUnidentifiedFailures();
        Set<String> seenInDryRun = new HashSet<>();
        RunCounts counts = RunCounts.ZERO;
        long written = 0;
        long offeredAsSeen = 0;
        long leftOut = 0;
        Map<String, List<String>> samples = new LinkedHashMap<>();
        try (var pages = new ReadAhead<>("sync-read-" + syncId, connector.fetch(app, fetch), this::patiently,
                page -> prepare(page, request.filters(), app.syncFrom()), configuration.pageTimeout(),
                READER_CLOSE_WAIT)) {
            for (Optional<PreparedPage> next = pages.next(); next.isPresent(); next = pages.next()) {
                PreparedPage page = next.get();
                unidentifiedFailures |= page.hasUnidentifiedFailures();
                if (dryRun && kind instanceof Pass.FullResync) {
                    seenInDryRun.addAll(page.seenIds());
                }
                holdOn(progress);
                counts = counts.plus(writePage(syncId, request, collection, page, pass, unidentifiedFailures,
                        samples));
                written += page.rows().size();
                offeredAsSeen += page.seenIds().size();
                leftOut += page.beforeSyncFrom();
                afterPage.accept(counts);
            }
        }
        if (leftOut > 0) {
            note(request, syncId, collection + ": left out " + leftOut + " records created before sync_from ("
                    + app.syncFrom() + ")");
        }

        String problem = null;
        long deleted = 0;
        if (kind instanceof Pass.FullResync && unidentifiedFailures) {
            note(request, syncId, collection + ": deleted nothing: records failed without an id, so this pass"
                    + " cannot tell which stored records the source still has");
        } else if (kind instanceof Pass.FullResync) {
            List<String> deletedSample = new ArrayList<>();
            var unseen = scope.readJdbc(request.tenant(), c -> dryRun
                    ? seenSets.unseenExcept(c, tenant, appKey, collection, app.syncFrom(), started, seenInDryRun,
                            deletedSample, SAMPLE)
                    : seenSets.unseen(c, tenant, appKey, collection, app.syncFrom(), started));
            boolean guarded = unseen.total() > 0 && !request.forceDeletions()
                    && (double) unseen.unseen() / unseen.total() > configuration.deletionGuard();
            if (guarded) {
                problem = collection + ": deletion guard stopped " + unseen.unseen() + " of " + unseen.total()
                        + " deletions (more than " + Math.round(configuration.deletionGuard() * 100)
                        + "%); run again with force_deletions to allow them";
            } else if (dryRun) {
                deleted = unseen.unseen();
                samples.put("deleted", deletedSample);
            } else if (unseen.unseen() > 0) {
                holdOn(progress);
                deleted = scope.writeJdbc(request.tenant(), c -> {
                    List<String> gone = seenSets.deleteUnseen(c, tenant, appKey, collection, app.syncFrom(), started);
                    records.logDeletions(c, tenant, syncId, appKey, collection, gone);
                    runs.counted(request.tenant(), syncId, new RunCounts(0, 0, 0, 0, gone.size(), 0, 0));
                    return (long) gone.size();
                });
            }
        }
        if (!dryRun && !(pass instanceof Pass.Targeted)) {
            long offered = pass instanceof Pass.FullResync ? offeredAsSeen : written;
            long created = counts.created();
            // A pass that kept rows it did not see (the guard stopped its deletions, or records failed without
            // an id) is no full sync to vouch that present rows were seen.
            boolean vouchesForRows = !(pass instanceof Pass.Incremental) && problem == null && !unidentifiedFailures;
            long duplicates = scope.writeJdbc(request.tenant(), c -> {
                long distinct = pass instanceof Pass.FirstLoad ? created
                        : pass instanceof Pass.FullResync ? seenSets.count(c, tenant, appKey, collection) : offered;
                states.markSucceeded(c, tenant, appKey, collection, started, vouchesForRows);
                if (!(pass instanceof Pass.Incremental)) {
                    seenSets.clear(c, tenant, appKey, collection);
                }
                return pass.resume().cursor() == null ? Math.max(0, offered - distinct) : 0L;
            });
            snapshot(request, syncId, collection, duplicates);
        }
        return new CollectionResult(counts.plus(new RunCounts(0, 0, 0, 0, deleted, 0, 0)), problem, samples);
    }

    /** Stops the attempt, to be retried, when it may no longer write its target. */
    private static void holdOn(Progress progress) {
        if (progress.lockLost()) {
            throw new AttemptStopped("lost the target's lock (the database connection holding it broke),"
                    + " so another run may be writing it");
        }
    }

    private void note(SyncRequest request, UUID syncId, String note) {
        scope.write(request.tenant(), () -> {
            runs.noted(request.tenant(), syncId, note);
            return null;
        });
    }

    /**
     * Whether an incremental sync of the collection can be one: the connector fetches changes,
     * an earlier sync succeeded, and the provider still keeps the changes since then. When an
     * incremental sync was asked for and cannot be, the run notes why it ran as a full one.
     */
    private boolean canIncrement(UUID syncId, SyncRequest request, Connector connector, String collection,
                                 Optional<SyncState> state, Instant now) {
        String fallback = null;
        Instant last = state.map(SyncState::lastSyncedAt).orElse(null);
        if (!connector.metadata().capabilities().incremental()) {
            fallback = connector.metadata().provider() + " has no incremental fetch";
        } else if (last == null) {
            fallback = "no earlier successful sync";
        } else if (connector.changeHistory().filter(history -> last.isBefore(now.minus(history))).isPresent()) {
            fallback = "the last successful sync (" + last + ") is older than the "
                    + connector.changeHistory().get().toDays() + " days of changes " + connector.metadata().provider()
                    + " keeps";
        }
        if (fallback != null && request.mode() == RunMode.INCREMENTAL) {
            note(request, syncId, collection + ": ran a full sync instead of an incremental one: " + fallback);
        }
        return fallback == null;
    }

    /**
     * Re-fetches exactly the named records through the connector's fetch-by-id; a 404 or a record
     * the connector rejects (it does not normalize) is a recorded failure of that record. A record
     * created before sync_from is left out here too: it would be a row no full sync maintains.
     */
    private CollectionResult syncIds(UUID syncId, SyncRequest request, Connector connector, AppContext app,
                                     String collection, Progress progress, Pass pass, List<String> ids)
            throws ConnectorException {
        List<NormalizedEntity> entities = new ArrayList<>();
        List<Page.RecordFailure> failures = new ArrayList<>();
        for (String id : ids) {
            try {
                entities.add(connector.fetchById(app, collection, id));
            } catch (ConnectorException.NotFound e) {
                failures.add(new Page.RecordFailure(id, "not found at the source"));
            } catch (ConnectorException.Rejected e) {
                failures.add(new Page.RecordFailure(id, ConnectorException.describe(e))); // this record only: the run goes on
            }
        }
        Map<String, List<String>> samples = new LinkedHashMap<>();
        PreparedPage page = prepare(new Page(collection, entities, failures, null), RunFilters.NONE, app.syncFrom());
        if (page.beforeSyncFrom() > 0) {
            note(request, syncId, collection + ": left out " + page.beforeSyncFrom()
                    + " records created before sync_from (" + app.syncFrom() + ")");
        }
        holdOn(progress);
        RunCounts counts = writePage(syncId, request, collection, page, pass, false, samples);
        return new CollectionResult(counts, null, samples);
    }

    /**
     * A page ready to write: the rows that pass the filters, what failed on the way, and the ids the
     * source has that a full pass must count as seen — the rows, the failures that have an id (their
     * stored version stays), and the records left out for lying before sync_from.
     */
    private record PreparedPage(List<EntityRow> rows, List<Page.RecordFailure> failures,
                                Map<String, Instant> removals, String cursor, List<String> seenIds,
                                int beforeSyncFrom) {

        boolean hasUnidentifiedFailures() {
            return failures.stream().anyMatch(failure -> failure.externalId() == null);
        }
    }

    /**
     * Filters a page into rows to write; runs on the read-ahead thread, beside the writing of the previous
     * page. Records created before {@code syncFrom} are left out (for sources that cannot filter by
     * creation time themselves).
     */
    private static PreparedPage prepare(Page page, RunFilters filters, Instant syncFrom) {
        List<EntityRow> rows = new ArrayList<>(page.entities().size());
        List<Page.RecordFailure> failures = new ArrayList<>(page.failures());
        List<String> seen = new ArrayList<>(page.entities().size() + failures.size());
        int beforeSyncFrom = 0;
        for (NormalizedEntity entity : page.entities()) {
            if (entity.outsideSyncFrom(syncFrom)) {
                beforeSyncFrom++;
                seen.add(entity.externalId());
                continue;
            }
            if (!matches(filters, entity)) {
                continue;
            }
            rows.add(EntityRows.of(entity));
            seen.add(entity.externalId());
        }
        for (Page.RecordFailure failure : failures) {
            if (failure.externalId() != null) {
                seen.add(failure.externalId());
            }
        }
        Map<String, Instant> removals = new LinkedHashMap<>();
        if (!filters.narrows()) {
            page.removals().forEach(removal -> removals.merge(removal.externalId(), removal.deletedAt(),
                    (a, b) -> a.isAfter(b) ? a : b));
        }
        return new PreparedPage(rows, failures, removals, page.cursor(), seen, beforeSyncFrom);
    }

    /** What writing one page did. */
    private record PageWrite(WriteResult result, List<String> removed, RunCounts counts) {
    }

    /**
     * Writes one page, with its failures and its counts, in one tenant transaction — or, in a dry run,
     * only classifies it. A first load inserts; a full re-sync also records the page's ids in its
     * seen-set; untargeted passes keep the cursor the page reached. {@code unidentifiedFailures}: the
     * pass has met records that failed without an id, which its cursor remembers for a resumed pass.
     */
    private RunCounts writePage(UUID syncId, SyncRequest request, String collection, PreparedPage page, Pass pass,
                                boolean unidentifiedFailures, Map<String, List<String>> samples) {
        String tenant = request.tenant().value();
        String appKey = request.appKey();
        boolean dryRun = pass instanceof Pass.DryRun;
        RunMode cursorMode = cursorMode(pass);
        List<EntityRow> rows = page.rows();
        List<Page.RecordFailure> failures = page.failures();
        Instant now = clock.instant();
        PageWrite written = scope.writeJdbc(request.tenant(), c -> {
            WriteResult result = pass instanceof Pass.FirstLoad
                    ? writer.writeToFreshTarget(c, tenant, appKey, collection, rows, now, SAMPLE)
                    : writer.write(c, tenant, appKey, collection, rows, now, dryRun, SAMPLE);
            List<String> removed = writer.remove(c, tenant, appKey, collection, page.removals(), dryRun);
            RunCounts counts = new RunCounts(rows.size() + failures.size(), result.created(), result.updated(),
                    result.unchanged() + result.stale(), removed.size(), result.archived(), failures.size());
            if (!dryRun) {
                records.logDeletions(c, tenant, syncId, appKey, collection, removed);
                states.commitWithoutWaitingForFlush(c);
                if (pass instanceof Pass.FullResync) {
                    seenSets.add(c, tenant, appKey, collection, page.seenIds());
                }
                for (Page.RecordFailure failure : failures) {
                    records.recordFailure(c, tenant, syncId, appKey, collection, failure.externalId(), "fetch",
                            failure.reason());
                }
                if (cursorMode != null && page.cursor() != null) {
                    states.saveCursor(c, tenant, appKey, collection, cursorMode, page.cursor(),
                            pass instanceof Pass.FirstLoad, unidentifiedFailures, now);
                }
                runs.counted(request.tenant(), syncId, counts);
            }
            return new PageWrite(result, removed, counts);
        });
        addSamples(samples, "new", written.result().createdSample());
        addSamples(samples, "updated", written.result().updatedSample());
        addSamples(samples, "archived", written.result().archivedSample());
        addSamples(samples, "deleted", written.removed());
        return written.counts();
    }

    /** Whether an entity passes a targeted sync's filters (status at the top level, source time in range). */
    private static boolean matches(RunFilters filters, NormalizedEntity entity) {
        if (!filters.narrows()) {
            return true;
        }
        if (!filters.statuses().isEmpty()) {
            String status;
            try {
                status = CanonicalJson.scalarAt(CanonicalJson.parse(entity.rawPayload()), "/status");
            } catch (IOException e) {
                return false;
            }
            // A record without a status matches no status (and the filter's list, being immutable, refuses null).
            if (status == null || !filters.statuses().contains(status)) {
                return false;
            }
        }
        Instant at = entity.sourceUpdatedAt() != null ? entity.sourceUpdatedAt() : entity.sourceCreatedAt();
        if (filters.from() != null && (at == null || at.isBefore(filters.from()))) {
            return false;
        }
        return filters.to() == null || (at != null && !at.isAfter(filters.to()));
    }

    /** A data-quality snapshot; failing to take one is worth a warning, never a failed run. */
    private void snapshot(SyncRequest request, UUID syncId, String collection, long duplicates) {
        try {
            scope.writeJdbc(request.tenant(), c -> snapshots.capture(c, request.tenant().value(),
                    request.appKey(), collection, syncId, duplicates));
        } catch (RuntimeException e) {
            LOG.warn("Sync {}: the data-quality snapshot of {}/{} failed: {}", syncId, request.appKey(), collection,
                    ConnectorException.describe(e));
        }
    }

    /**
     * The next page, waiting out rate limits within the configured patience; each such wait is declared
     * to the progress watchdog, which does not count it as a stall.
     */
    private Optional<Page> patiently(PageSource pages, ReadAhead.Waiting waiting) throws ConnectorException {
        for (int waits = 0; ; waits++) {
            try {
                return pages.next();
            } catch (ConnectorException.RateLimited limited) {
                if (waits >= configuration.rateLimitWaits()
                        || limited.retryAfter().compareTo(configuration.longestRateLimitWait()) > 0) {
                    throw limited;
                }
                waiting.forAtMost(limited.retryAfter());
                if (!pause.await(limited.retryAfter())) {
                    throw limited;
                }
            }
        }
    }

    private static void addSamples(Map<String, List<String>> samples, String kind, List<String> ids) {
        List<String> sample = samples.computeIfAbsent(kind, k -> new ArrayList<>());
        for (String id : ids) {
            if (sample.size() < SAMPLE) {
                sample.add(id);
            }
        }
    }
}
