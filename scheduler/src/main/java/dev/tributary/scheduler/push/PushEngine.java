package dev.tributary.scheduler.push;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Destination;
import dev.tributary.connector.FieldMapping;
import dev.tributary.connector.json.CanonicalJson;
import dev.tributary.db.DatabaseFailure;
import dev.tributary.db.entity.EntityReader;
import dev.tributary.db.run.ItemError;
import dev.tributary.db.run.RunCounts;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.synclist.ItemStatus;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.scheduler.engine.EngineConfiguration;
import dev.tributary.scheduler.engine.Pause;
import dev.tributary.scheduler.engine.RunProgress;
import dev.tributary.scheduler.engine.SyncEngine;
import dev.tributary.scheduler.engine.SyncOutcome;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a push: each of the run's sync list items, in turn, has its source record (from {@code entities})
 * shaped into the target's body by its field mapping — the item's, else the target app's for the collection,
 * else none — and created at the target (its new id kept) or updated by its target id. A delta run skips an
 * item of mode delta whose last push succeeded with the same body (its SHA-256); a full run pushes all.
 * A target that lost the record (NotFound on update) gets it created again, and the run says so in a note.
 *
 * <p>An item that fails (refused, a passing failure, its source record gone) is recorded as failed with its
 * error and the run goes on; a rate limit is waited out like the pull engine's ({@code tributary.engine}
 * patience) and the item tried again; revoked credentials or a broken configuration fail the run, leaving the
 * remaining items as they were. Each item's result, its counts and its error commit together, so a later
 * attempt of the run goes on with the items this run has not handled yet. Cancels are honoured between items.
 */
@Singleton
public class PushEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PushEngine.class);

    private final TenantScope scope;
    private final SyncListItems items;
    private final EntityReader entities;
    private final RunProgress runs;
    private final EngineConfiguration configuration;
    private final Pause pause;
    private final Clock clock;

    public PushEngine(TenantScope scope, SyncListItems items, EntityReader entities, RunProgress runs,
                      EngineConfiguration configuration, Pause pause, Clock clock) {
        this.scope = scope;
        this.items = items;
        this.entities = entities;
        this.runs = runs;
        this.configuration = configuration;
        this.pause = pause;
        this.clock = clock;
    }

    /**
     * The target collections the run writes (their locks are taken before it runs): those of its items that
     * still exist, each one the app can write; refused when the app is no destination or cannot write them.
     */
    public SyncEngine.Target target(SyncRequest request, LoadedApp app) {
        Optional<Destination> destination = app.connector().destination();
        if (destination.isEmpty()) {
            return new SyncEngine.Target.Refused("app " + request.appKey() + " is not a destination");
        }
        List<String> writable;
        try {
            writable = destination.get().writableCollections(app.context());
        } catch (ConnectorException.ConfigInvalid e) {
            return new SyncEngine.Target.Refused("app configuration is invalid: " + ConnectorException.describe(e));
        }
        List<String> collections = itemsOf(request).stream().map(SyncListItem::targetCollection).distinct()
                .sorted().toList();
        for (String collection : collections) {
            if (!writable.contains(collection)) {
                return new SyncEngine.Target.Refused("app " + request.appKey() + " cannot write " + collection
                        + "; it writes " + String.join(", ", writable));
            }
        }
        return new SyncEngine.Target.Resolved(collections);
    }

    /** Pushes the run's items (see the class comment) and says how the run ended. */
    public SyncOutcome run(UUID syncId, SyncRequest request, LoadedApp app, SyncEngine.Progress progress) {
        TenantId tenant = request.tenant();
        Destination destination = app.connector().destination().orElseThrow();
        RunCounts counts = RunCounts.ZERO;
        try {
            for (SyncListItem item : itemsOf(request)) {
                if (progress.cancelled()) {
                    return new SyncOutcome.Cancelled(counts);
                }
                if (progress.lockLost()) {
                    return new SyncOutcome.RetryLater(counts, "lost its hold on the target; retried", null);
                }
                if (syncId.equals(item.lastSyncId())) {
                    continue; // an earlier attempt of this run handled it
                }
                Pushed pushed = push(tenant, syncId, request.mode(), destination, app.context(), item);
                counts = counts.plus(record(tenant, syncId, item, pushed));
                progress.afterPage(item.targetCollection(), counts);
            }
        } catch (RunStops stop) {
            return stop.outcome(counts);
        } catch (RuntimeException e) {
            boolean database = DatabaseFailure.causedBy(e);
            LOG.error("Push {} to {} failed{}", syncId, request.appKey(), database ? " on the database side" : "", e);
            return new SyncOutcome.RetryLater(counts, database ? "database error"
                    : "internal error (" + e.getClass().getSimpleName() + "); the node's log has the details", null);
        }
        if (counts.errors() > 0) {
            return new SyncOutcome.CompletedWithErrors(counts, counts.errors() + " items failed; see the run's errors",
                    null, false);
        }
        return new SyncOutcome.Completed(counts, null);
    }

    /** What pushing one item came to: its new state, and a note for the run when there is one. */
    private record Pushed(SyncListItems.PushResult result, RunCounts counts, String note) {
    }

    /** Ends the run from inside an item: the whole run fails, or is retried later, with the counts so far. */
    private static final class RunStops extends RuntimeException {
        private final ConnectorException cause;

        RunStops(ConnectorException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }

        SyncOutcome outcome(RunCounts counts) {
            String error = ConnectorException.describe(cause);
            return cause instanceof ConnectorException.RateLimited limited
                    ? new SyncOutcome.RetryLater(counts, error, limited.retryAfter())
                    : new SyncOutcome.Failed(counts, error);
        }
    }

    private Pushed push(TenantId tenant, UUID syncId, RunMode runMode, Destination destination, AppContext app,
                        SyncListItem item) {
        String collection = item.targetCollection();
        try {
            Optional<String> payload = source(tenant, item);
            if (payload.isEmpty()) {
                return failed(syncId, "source record " + item.sourceAppKey() + "/" + item.collection() + "/"
                        + item.sourceId() + " is not synced");
            }
            FieldMapping mapping;
            if (item.fieldMapping() != null) {
                try {
                    mapping = FieldMapping.parse(item.fieldMapping(), "field_mapping");
                } catch (ConnectorException.ConfigInvalid e) { // the item's own mapping: this item only
                    return failed(syncId, ConnectorException.describe(e));
                }
            } else {
                mapping = destination.fieldMapping(app, collection).orElse(FieldMapping.NONE);
            }
            CanonicalJson.Text body = mapping.applyText(payload.get());
            if (runMode == RunMode.DELTA && item.mode() == RunMode.DELTA && item.lastSyncStatus() == ItemStatus.SUCCESS
                    && item.targetId() != null && Arrays.equals(body.sha256(), item.lastPushedHash())) {
                return pushed(syncId, item.targetId(), body, new RunCounts(1, 0, 0, 1, 0, 0, 0), null);
            }
            if (item.targetId() == null) {
                String created = patiently(() -> destination.create(app, collection, body.json()));
                return pushed(syncId, created, body, new RunCounts(1, 1, 0, 0, 0, 0, 0), null);
            }
            try {
                patiently(() -> {
                    destination.update(app, collection, item.targetId(), body.json());
                    return item.targetId();
                });
                return pushed(syncId, item.targetId(), body, new RunCounts(1, 0, 1, 0, 0, 0, 0), null);
            } catch (ConnectorException.NotFound gone) {
                String created = patiently(() -> destination.create(app, collection, body.json()));
                return pushed(syncId, created, body, new RunCounts(1, 1, 0, 0, 0, 0, 0), "item " + item.id()
                        + ": " + collection + " " + item.targetId() + " was gone at the target; created again as "
                        + created);
            }
        } catch (ConnectorException.AuthRevoked | ConnectorException.ConfigInvalid | ConnectorException.RateLimited e) {
            throw new RunStops(e);
        } catch (ConnectorException e) { // refused, passing, or not found on create: this item only
            return failed(syncId, ConnectorException.describe(e));
        }
    }

    private Pushed pushed(UUID syncId, String targetId, CanonicalJson.Text body, RunCounts counts, String note) {
        return new Pushed(new SyncListItems.PushResult(ItemStatus.SUCCESS, null, targetId, body.sha256(),
                clock.instant(), syncId), counts, note);
    }

    private Pushed failed(UUID syncId, String error) {
        return new Pushed(new SyncListItems.PushResult(ItemStatus.FAILED, error, null, null, clock.instant(), syncId),
                new RunCounts(1, 0, 0, 0, 0, 0, 1), null);
    }

    /** The item's state, the run's counts, its error and note: one transaction. */
    private RunCounts record(TenantId tenant, UUID syncId, SyncListItem item, Pushed pushed) {
        return scope.writeJdbc(tenant, c -> {
            if (!items.recordPush(c, tenant.value(), item.id(), pushed.result())) {
                LOG.info("Push {}: item {} was removed while it was pushed", syncId, item.id());
            }
            runs.counted(tenant, syncId, pushed.counts());
            if (pushed.result().status() == ItemStatus.FAILED) {
                runs.itemFailed(tenant, syncId, new ItemError(item.id(), pushed.result().error()));
            }
            if (pushed.note() != null) {
                runs.noted(tenant, syncId, pushed.note());
            }
            return pushed.counts();
        });
    }

    /** The run's items that still exist, in the order they were listed; read for the whole tenant. */
    private List<SyncListItem> itemsOf(SyncRequest request) {
        List<UUID> ids = request.ids().stream().map(UUID::fromString).toList();
        return scope.readJdbc(request.tenant(), c -> items.all(c, request.tenant().value(),
                new SyncListItems.Filter(ids, null, null, null, null, null, null)));
    }

    /** The source record's payload as synced, archived or not; empty when it is not in {@code entities}. */
    private Optional<String> source(TenantId tenant, SyncListItem item) {
        return scope.readJdbc(tenant, c -> entities.page(c, tenant.value(), item.sourceAppKey(), item.collection(),
                null, new EntityReader.Selection(null, null, true, List.of(item.sourceId())), 1))
                .entities().stream().findFirst().map(EntityReader.StoredEntity::payload);
    }

    private interface Call {
        String run() throws ConnectorException;
    }

    /** A call to the target, waiting out its rate limits within the engine's patience. */
    private String patiently(Call call) throws ConnectorException {
        for (int waits = 0; ; waits++) {
            try {
                return call.run();
            } catch (ConnectorException.RateLimited limited) {
                if (waits >= configuration.rateLimitWaits()
                        || limited.retryAfter().compareTo(configuration.longestRateLimitWait()) > 0
                        || !pause.await(limited.retryAfter())) {
                    throw limited;
                }
            }
        }
    }
}
