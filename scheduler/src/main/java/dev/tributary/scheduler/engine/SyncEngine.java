package dev.tributary.scheduler.engine;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.Connector;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.NormalizedEntity;
import dev.tributary.connector.Page;
import dev.tributary.connector.PageSource;
import dev.tributary.connector.json.CanonicalJson;
import dev.tributary.db.entity.EntityRow;
import dev.tributary.db.entity.EntityWriter;
import dev.tributary.db.entity.SyncTargetStore;
import dev.tributary.db.entity.WriteResult;
import dev.tributary.db.DatabaseOutage;
import dev.tributary.db.quality.DataQualitySnapshots;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
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
 * Runs one sync of one target to completion, synchronously: for each collection,
 * every page the connector yields is hashed and written in bulk, with the cursor
 * it reached, in one tenant-scoped transaction; a full sync then deletes what it
 * did not see (inside {@code sync_from}, behind the deletion guard) and the
 * collection's state advances — only on success, so a failed run resumes from
 * its last page. A dry run classifies everything and writes nothing but returns
 * a preview. Each page's counts go to the run's record ({@link RunProgress}) in
 * the page's own transaction.
 */
@Singleton
public class SyncEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    private static final int SAMPLE = 20;
    /** How long a stopped pass waits for its reading thread to leave the source before going on without it. */
    private static final Duration READER_CLOSE_WAIT = Duration.ofSeconds(5);

    private final TenantScope scope;
    private final EntityWriter writer;
    private final SyncTargetStore store;
    private final EngineConfiguration configuration;
    private final Pause pause;
    private final JsonMapper json;
    private final Clock clock;
    private final DataQualitySnapshots snapshots;
    private final RunProgress runs;

    public SyncEngine(TenantScope scope, EntityWriter writer, SyncTargetStore store,
                      EngineConfiguration configuration, Pause pause, JsonMapper json, Clock clock,
                      DataQualitySnapshots snapshots, RunProgress runs) {
        this.snapshots = snapshots;
        this.runs = runs;
        this.scope = scope;
        this.writer = writer;
        this.store = store;
        this.configuration = configuration;
        this.pause = pause;
        this.json = json;
        this.clock = clock;
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

    public SyncOutcome run(UUID syncId, SyncRequest request, Connector connector, AppContext app) {
        return run(syncId, request, connector, app, Progress.NONE);
    }

    public SyncOutcome run(UUID syncId, SyncRequest request, Connector connector, AppContext app, Progress progress) {
        List<String> collections;
        try {
            collections = connector.collections(app);
        } catch (ConnectorException.ConfigInvalid e) {
            return new SyncOutcome.Failed(RunCounts.ZERO, "app configuration is invalid: " + ConnectorException.describe(e));
        }
        if (request.collection() != null) {
            if (!collections.contains(request.collection())) {
                return new SyncOutcome.Failed(RunCounts.ZERO, "app " + request.appKey() + " has no collection "
                        + request.collection());
            }
            collections = List.of(request.collection());
        }
        if (!request.ids().isEmpty() && collections.size() != 1) {
            return new SyncOutcome.Failed(RunCounts.ZERO, "a sync of ids needs one collection; name it");
        }
        RunCounts counts = RunCounts.ZERO; // of the collections done
        RunCounts[] current = {RunCounts.ZERO}; // of the collection under way, page by page
        List<String> problems = new ArrayList<>();
        Map<String, Object> preview = new LinkedHashMap<>();
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
                preview.put(collection, result.samples());
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
            } catch (RuntimeException e) {
                boolean database = DatabaseOutage.causedBy(e) || hasSqlCause(e);
                LOG.error("Sync {} of {}/{} failed{}", syncId, request.appKey(), collection,
                        database ? " on the database side" : "", e);
                // Sanitized: the run's reader learns what kind of failure it was, the log has the rest.
                return new SyncOutcome.RetryLater(counts.plus(current[0]), collection + ": "
                        + (database ? "database error" : "internal error (" + e.getClass().getSimpleName()
                        + "); the node's log has the details"), null);
            }
        }
        String previewJson = request.dryRun() ? write(Map.of("counts", counts, "samples", preview)) : null;
        if (!problems.isEmpty() || counts.errors() > 0) {
            String message = problems.isEmpty() ? counts.errors() + " records failed; see the run's failures"
                    : String.join("; ", problems);
            return new SyncOutcome.CompletedWithErrors(counts, message, previewJson, !problems.isEmpty());
        }
        return new SyncOutcome.Completed(counts, previewJson);
    }

    private CollectionResult syncCollection(UUID syncId, SyncRequest request, Connector connector, AppContext app,
                                            String collection, Progress progress, Consumer<RunCounts> afterPage)
            throws ConnectorException {
        if (!request.ids().isEmpty()) {
            return syncIds(syncId, request, connector, app, collection, progress);
        }
        String tenant = request.tenant().value();
        String appKey = request.appKey();
        boolean targeted = request.targeted();
        Instant started = clock.instant();
        var state = scope.readJdbc(request.tenant(), c -> store.state(c, tenant, appKey, collection));
        boolean full = request.mode() == SyncRequest.Mode.FULL
                || !canIncrement(syncId, request, connector, collection, state, started);
        String mode = full ? "full" : "incremental";
        var resumed = state.filter(s -> mode.equals(s.cursorMode()) && s.cursor() != null);
        String resumeFrom = targeted ? null : resumed.map(SyncTargetStore.SyncState::cursor).orElse(null);
        boolean freshTarget = false;
        if (full && !request.dryRun() && !targeted) {
            freshTarget = resumeFrom != null ? resumed.get().cursorOnFreshTarget()
                    : scope.writeJdbc(request.tenant(), c -> {
                        store.clearSeen(c, tenant, appKey, collection);
                        return store.isEmpty(c, tenant, appKey, collection);
                    });
        }
        var pass = new Pass(mode, freshTarget, !targeted && !request.dryRun());
        var fetch = new FetchRequest(collection, full ? null : state.get().lastSyncedAt(), resumeFrom);
        // Records that failed without an id may be any stored record: a pass that met one (in this
        // attempt, or in the interrupted one it resumes) cannot tell what the source still has.
        boolean unidentifiedFailures = resumeFrom != null && resumed.get().cursorAfterUnidentifiedFailures();
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
                if (request.dryRun() && full) {
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
        if (full && !targeted && !freshTarget && unidentifiedFailures) {
            note(request, syncId, collection + ": deleted nothing: records failed without an id, so this pass"
                    + " cannot tell which stored records the source still has");
        } else if (full && !targeted && !freshTarget) {
            List<String> deletedSample = new ArrayList<>();
            var unseen = scope.readJdbc(request.tenant(), c -> request.dryRun()
                    ? store.unseenExcept(c, tenant, appKey, collection, app.syncFrom(), started, seenInDryRun,
                            deletedSample, SAMPLE)
                    : store.unseen(c, tenant, appKey, collection, app.syncFrom(), started));
            boolean guarded = unseen.total() > 0 && !request.forceDeletions()
                    && (double) unseen.unseen() / unseen.total() > configuration.deletionGuard();
            if (guarded) {
                problem = collection + ": deletion guard stopped " + unseen.unseen() + " of " + unseen.total()
                        + " deletions (more than " + Math.round(configuration.deletionGuard() * 100)
                        + "%); run again with force_deletions to allow them";
            } else if (request.dryRun()) {
                deleted = unseen.unseen();
                samples.put("deleted", deletedSample);
            } else if (unseen.unseen() > 0) {
                holdOn(progress);
                deleted = scope.writeJdbc(request.tenant(), c -> {
                    long gone = store.deleteUnseen(c, tenant, appKey, collection, app.syncFrom(), started, syncId);
                    runs.counted(request.tenant(), syncId, new RunCounts(0, 0, 0, 0, gone, 0, 0));
                    return gone;
                });
            }
        }
        if (!request.dryRun() && !targeted) {
            long offered = full && !freshTarget ? offeredAsSeen : written;
            long created = counts.created();
            // A pass that kept rows it did not see (the guard stopped its deletions, or records failed without
            // an id) is no full sync to vouch that present rows were seen.
            boolean vouchesForRows = full && problem == null && !unidentifiedFailures;
            long duplicates = scope.writeJdbc(request.tenant(), c -> {
                long distinct = pass.freshTarget() ? created
                        : full ? store.seenCount(c, tenant, appKey, collection) : offered;
                store.markSucceeded(c, tenant, appKey, collection, started, vouchesForRows);
                if (full) {
                    store.clearSeen(c, tenant, appKey, collection);
                }
                return resumeFrom == null ? Math.max(0, offered - distinct) : 0L;
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
                                 Optional<SyncTargetStore.SyncState> state, Instant now) {
        String fallback = null;
        Instant last = state.map(SyncTargetStore.SyncState::lastSyncedAt).orElse(null);
        if (!connector.metadata().capabilities().incremental()) {
            fallback = connector.metadata().provider() + " has no incremental fetch";
        } else if (last == null) {
            fallback = "no earlier successful sync";
        } else if (connector.changeHistory().filter(history -> last.isBefore(now.minus(history))).isPresent()) {
            fallback = "the last successful sync (" + last + ") is older than the "
                    + connector.changeHistory().get().toDays() + " days of changes " + connector.metadata().provider()
                    + " keeps";
        }
        if (fallback != null && request.mode() == SyncRequest.Mode.INCREMENTAL) {
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
                                     String collection, Progress progress) throws ConnectorException {
        List<NormalizedEntity> entities = new ArrayList<>();
        List<Page.RecordFailure> failures = new ArrayList<>();
        for (String id : request.ids()) {
            try {
                entities.add(connector.fetchById(app, collection, id));
            } catch (ConnectorException.NotFound e) {
                failures.add(new Page.RecordFailure(id, "not found at the source"));
            } catch (ConnectorException.Rejected e) {
                failures.add(new Page.RecordFailure(id, ConnectorException.describe(e))); // this record only: the run goes on
            }
        }
        Map<String, List<String>> samples = new LinkedHashMap<>();
        PreparedPage page = prepare(new Page(collection, entities, failures, null), SyncRequest.Filters.NONE,
                app.syncFrom());
        if (page.beforeSyncFrom() > 0) {
            note(request, syncId, collection + ": left out " + page.beforeSyncFrom()
                    + " records created before sync_from (" + app.syncFrom() + ")");
        }
        holdOn(progress);
        RunCounts counts = writePage(syncId, request, collection, page, new Pass("ids", false, false), false,
                samples);
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
    private static PreparedPage prepare(Page page, SyncRequest.Filters filters, Instant syncFrom) {
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


    /**
     * How one collection's pages are written. {@code freshTarget}: a full pass that began on an
     * empty collection — nothing to look up, and nothing it could delete, so no seen-set either.
     * {@code bookkeeping}: cursors, seen-set and failures are kept (not for dry or targeted runs).
     */
    private record Pass(String mode, boolean freshTarget, boolean bookkeeping) {

        /** A full pass records what it sees, to delete the rest — unless nothing existed to delete. */
        boolean keepsSeenSet() {
            return bookkeeping && mode.equals("full") && !freshTarget;
        }
    }

    /** What writing one page did. */
    private record PageWrite(WriteResult result, List<String> removed, RunCounts counts) {
    }

    /**
     * Writes one page, with its failures, its counts and (when kept) its cursor and seen ids, in one
     * tenant transaction. {@code unidentifiedFailures}: the pass has met records that failed without
     * an id, which its cursor remembers for a resumed pass.
     */
    private RunCounts writePage(UUID syncId, SyncRequest request, String collection, PreparedPage page, Pass pass,
                                boolean unidentifiedFailures, Map<String, List<String>> samples) {
        String tenant = request.tenant().value();
        String appKey = request.appKey();
        List<EntityRow> rows = page.rows();
        List<Page.RecordFailure> failures = page.failures();
        Instant now = clock.instant();
        PageWrite written = scope.writeJdbc(request.tenant(), c -> {
            WriteResult result = pass.freshTarget()
                    ? writer.writeToFreshTarget(c, tenant, appKey, collection, rows, now, SAMPLE)
                    : writer.write(c, tenant, appKey, collection, rows, now, request.dryRun(), SAMPLE);
            List<String> removed = writer.remove(c, tenant, appKey, collection, page.removals(), request.dryRun());
            RunCounts counts = new RunCounts(rows.size() + failures.size(), result.created(), result.updated(),
                    result.unchanged() + result.stale(), removed.size(), result.archived(), failures.size());
            if (!request.dryRun()) {
                store.logDeletions(c, tenant, syncId, appKey, collection, removed);
                store.commitWithoutWaitingForFlush(c);
                if (pass.keepsSeenSet()) {
                    store.markSeen(c, tenant, appKey, collection, page.seenIds());
                }
                for (Page.RecordFailure failure : failures) {
                    store.recordFailure(c, tenant, syncId, appKey, collection, failure.externalId(), "fetch",
                            failure.reason());
                }
                if (pass.bookkeeping() && page.cursor() != null) {
                    store.saveCursor(c, tenant, appKey, collection, pass.mode(), page.cursor(), pass.freshTarget(),
                            unidentifiedFailures, now);
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
    private static boolean matches(SyncRequest.Filters filters, NormalizedEntity entity) {
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

    /** Whether a failure came from JDBC (a statement or the transaction around it failed). */
    private static boolean hasSqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    private static void addSamples(Map<String, List<String>> samples, String kind, List<String> ids) {
        List<String> sample = samples.computeIfAbsent(kind, k -> new ArrayList<>());
        for (String id : ids) {
            if (sample.size() < SAMPLE) {
                sample.add(id);
            }
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
