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
import dev.tributary.db.quality.DataQualitySnapshots;
import dev.tributary.db.run.SyncRunRepository;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runs one sync of one target to completion, synchronously: for each collection,
 * every page the connector yields is hashed and written in bulk, with the cursor
 * it reached, in one tenant-scoped transaction; a full sync then deletes what it
 * did not see (inside {@code sync_from}, behind the deletion guard) and the
 * collection's state advances — only on success, so a failed run resumes from
 * its last page. A dry run classifies everything and writes nothing but returns
 * a preview.
 */
@Singleton
public class SyncEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    private static final int SAMPLE = 20;

    private final TenantScope scope;
    private final EntityWriter writer;
    private final SyncTargetStore store;
    private final EngineConfiguration configuration;
    private final Pause pause;
    private final JsonMapper json;
    private final Clock clock;
    private final DataQualitySnapshots snapshots;
    private final SyncRunRepository runs;

    public SyncEngine(TenantScope scope, EntityWriter writer, SyncTargetStore store,
                      EngineConfiguration configuration, Pause pause, JsonMapper json, Clock clock,
                      DataQualitySnapshots snapshots, SyncRunRepository runs) {
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
    }

    /** Unwinds a run from a page boundary to {@link #run} when it was cancelled. */
    private static final class RunCancelled extends RuntimeException {
        private final RunCounts counts;

        RunCancelled(RunCounts counts) {
            super(null, null, false, false);
            this.counts = counts;
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
            return new SyncOutcome.Failed(RunCounts.ZERO, "app configuration is invalid: " + e.getMessage());
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
        RunCounts counts = RunCounts.ZERO;
        List<String> problems = new ArrayList<>();
        Map<String, Object> preview = new LinkedHashMap<>();
        for (String collection : collections) {
            try {
                RunCounts before = counts;
                CollectionResult result = syncCollection(syncId, request, connector, app, collection, soFar -> {
                    progress.afterPage(collection, before.plus(soFar));
                    if (progress.cancelled()) {
                        throw new RunCancelled(before.plus(soFar));
                    }
                });
                counts = counts.plus(result.counts());
                if (result.problem() != null) {
                    problems.add(result.problem());
                }
                preview.put(collection, result.samples());
            } catch (ConnectorException e) {
                String error = collection + ": " + e.getMessage();
                if (!e.retriable()) {
                    return new SyncOutcome.Failed(counts, error);
                }
                return new SyncOutcome.RetryLater(counts, error, e instanceof ConnectorException.RateLimited limited
                        ? limited.retryAfter() : null);
            } catch (RunCancelled e) {
                return new SyncOutcome.Cancelled(e.counts);
            } catch (RuntimeException e) {
                LOG.error("Sync {} of {}/{} failed on the database side", syncId, request.appKey(), collection, e);
                return new SyncOutcome.RetryLater(counts, collection + ": database error", null);
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
                                            String collection, java.util.function.Consumer<RunCounts> afterPage)
            throws ConnectorException {
        if (!request.ids().isEmpty()) {
            return syncIds(syncId, request, connector, app, collection);
        }
        String tenant = request.tenant().value();
        String appKey = request.appKey();
        boolean targeted = request.targeted();
        Instant started = clock.instant();
        var state = scope.readJdbc(request.tenant(), c -> store.state(c, tenant, appKey, collection));
        boolean full = request.mode() == SyncRequest.Mode.FULL
                || !canIncrement(syncId, request, connector, collection, state, started);
        String mode = full ? "full" : "incremental";
        String resumeFrom = state.filter(s -> mode.equals(s.cursorMode())).map(s -> s.cursor()).orElse(null);
        boolean freshTarget = false;
        if (full && !request.dryRun() && !targeted) {
            freshTarget = resumeFrom != null ? state.get().cursorOnFreshTarget()
                    : scope.writeJdbc(request.tenant(), c -> {
                        store.clearSeen(c, tenant, appKey, collection);
                        return store.isEmpty(c, tenant, appKey, collection);
                    });
        }
        var pass = new Pass(mode, freshTarget, !targeted && !request.dryRun());
        var fetch = new FetchRequest(collection, full ? null : state.get().lastSyncedAt(), targeted ? null : resumeFrom);
        Set<String> seenInDryRun = new HashSet<>();
        RunCounts counts = RunCounts.ZERO;
        Map<String, List<String>> samples = new LinkedHashMap<>();
        try (var pages = new ReadAhead<>("sync-read-" + syncId, connector.fetch(app, fetch), this::patiently,
                page -> prepare(page, request.filters()))) {
            for (Optional<PreparedPage> next = pages.next(); next.isPresent(); next = pages.next()) {
                PreparedPage page = next.get();
                if (request.dryRun() && full) {
                    page.rows().forEach(row -> seenInDryRun.add(row.externalId()));
                }
                counts = counts.plus(writePage(syncId, request, collection, page, pass, samples));
                afterPage.accept(counts);
            }
        }

        String problem = null;
        long deleted = 0;
        if (full && !targeted && !freshTarget) {
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
                deleted = scope.writeJdbc(request.tenant(), c ->
                        store.deleteUnseen(c, tenant, appKey, collection, app.syncFrom(), started, syncId));
            }
        }
        if (!request.dryRun() && !targeted) {
            long fetched = counts.total() - counts.errors();
            long created = counts.created();
            // A pass whose deletions the guard stopped kept rows it did not see: it is no full sync to vouch for them.
            boolean vouchesForRows = full && problem == null;
            long duplicates = scope.writeJdbc(request.tenant(), c -> {
                long distinct = pass.freshTarget() ? created
                        : full ? store.seenCount(c, tenant, appKey, collection) : fetched;
                store.markSucceeded(c, tenant, appKey, collection, started, vouchesForRows);
                if (full) {
                    store.clearSeen(c, tenant, appKey, collection);
                }
                return resumeFrom == null ? Math.max(0, fetched - distinct) : 0L;
            });
            snapshot(request, syncId, collection, duplicates);
        }
        return new CollectionResult(counts.plus(new RunCounts(0, 0, 0, 0, deleted, 0, 0)), problem, samples);
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
            String note = collection + ": ran a full sync instead of an incremental one: " + fallback;
            scope.write(request.tenant(), () -> runs.addNote(request.tenant().value(), syncId, note));
        }
        return fallback == null;
    }

    /**
     * Re-fetches exactly the named records through the connector's fetch-by-id; a 404 or a record
     * the connector rejects (it does not normalize) is a recorded failure of that record.
     */
    private CollectionResult syncIds(UUID syncId, SyncRequest request, Connector connector, AppContext app,
                                     String collection) throws ConnectorException {
        List<NormalizedEntity> entities = new ArrayList<>();
        List<Page.RecordFailure> failures = new ArrayList<>();
        for (String id : request.ids()) {
            try {
                entities.add(connector.fetchById(app, collection, id));
            } catch (ConnectorException.NotFound e) {
                failures.add(new Page.RecordFailure(id, "not found at the source"));
            } catch (ConnectorException.Rejected e) {
                failures.add(new Page.RecordFailure(id, e.getMessage())); // this record only: the run goes on
            }
        }
        Map<String, List<String>> samples = new LinkedHashMap<>();
        PreparedPage page = prepare(new Page(collection, entities, failures, null), SyncRequest.Filters.NONE);
        RunCounts counts = writePage(syncId, request, collection, page, new Pass("ids", false, false), samples);
        return new CollectionResult(counts, null, samples);
    }

    /** A page ready to write: the rows that pass the filters, and what failed on the way. */
    private record PreparedPage(List<EntityRow> rows, List<Page.RecordFailure> failures,
                                Map<String, Instant> removals, String cursor) {
    }

    /** Filters a page into rows to write; runs on the read-ahead thread, beside the writing of the previous page. */
    private static PreparedPage prepare(Page page, SyncRequest.Filters filters) {
        List<EntityRow> rows = new ArrayList<>(page.entities().size());
        List<Page.RecordFailure> failures = new ArrayList<>(page.failures());
        for (NormalizedEntity entity : page.entities()) {
            if (!matches(filters, entity)) {
                continue;
            }
            rows.add(EntityRows.of(entity));
        }
        Map<String, Instant> removals = new LinkedHashMap<>();
        if (!filters.narrows()) {
            page.removals().forEach(removal -> removals.merge(removal.externalId(), removal.deletedAt(),
                    (a, b) -> a.isAfter(b) ? a : b));
        }
        return new PreparedPage(rows, failures, removals, page.cursor());
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

    /** Writes one page, with its failures and (when kept) its cursor and seen ids, in one tenant transaction. */
    private RunCounts writePage(UUID syncId, SyncRequest request, String collection, PreparedPage page, Pass pass,
                                Map<String, List<String>> samples) {
        String tenant = request.tenant().value();
        String appKey = request.appKey();
        List<EntityRow> rows = page.rows();
        List<Page.RecordFailure> failures = page.failures();
        Instant now = clock.instant();
        List<String> removed = new ArrayList<>();
        WriteResult written = scope.writeJdbc(request.tenant(), c -> {
            WriteResult result = pass.freshTarget()
                    ? writer.writeToFreshTarget(c, tenant, appKey, collection, rows, now, SAMPLE)
                    : writer.write(c, tenant, appKey, collection, rows, now, request.dryRun(), SAMPLE);
            removed.addAll(writer.remove(c, tenant, appKey, collection, page.removals(), request.dryRun()));
            if (!request.dryRun()) {
                store.logDeletions(c, tenant, syncId, appKey, collection, removed);
                store.commitWithoutWaitingForFlush(c);
                if (pass.keepsSeenSet()) {
                    store.markSeen(c, tenant, appKey, collection, rows.stream().map(EntityRow::externalId).toList());
                }
                for (Page.RecordFailure failure : failures) {
                    store.recordFailure(c, tenant, syncId, appKey, collection, failure.externalId(), "fetch",
                            failure.reason());
                }
                if (pass.bookkeeping() && page.cursor() != null) {
                    store.saveCursor(c, tenant, appKey, collection, pass.mode(), page.cursor(), pass.freshTarget(), now);
                }
            }
            return result;
        });
        addSamples(samples, "new", written.createdSample());
        addSamples(samples, "updated", written.updatedSample());
        addSamples(samples, "archived", written.archivedSample());
        addSamples(samples, "deleted", removed);
        return new RunCounts(rows.size() + failures.size(), written.created(), written.updated(),
                written.unchanged() + written.stale(), removed.size(), written.archived(), failures.size());
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
            if (!filters.statuses().contains(status)) {
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
                    e.getMessage());
        }
    }

    /** The next page, waiting out rate limits within the configured patience. */
    private Optional<Page> patiently(PageSource pages) throws ConnectorException {
        for (int waits = 0; ; waits++) {
            try {
                return pages.next();
            } catch (ConnectorException.RateLimited limited) {
                if (waits >= configuration.rateLimitWaits()
                        || limited.retryAfter().compareTo(configuration.longestRateLimitWait()) > 0
                        || !pause.await(limited.retryAfter())) {
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

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
