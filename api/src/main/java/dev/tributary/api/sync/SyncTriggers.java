package dev.tributary.api.sync;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.request.IsoTimestamp;
import dev.tributary.connector.ConnectorException;
import dev.tributary.db.run.RunFilters;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRun;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.run.SyncQueue;
import dev.tributary.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/**
 * Turns a trigger request into a queued run: checks it whole (the app exists, the
 * collection is one of the app's, mode, filters and ids are well-formed) and then
 * enqueues it, so bad input changes nothing.
 */
@Singleton
class SyncTriggers {

    static final int MAX_IDS = 1_000;
    static final int MAX_STATUSES = 100;

    private final Apps apps;
    private final SyncQueue queue;

    SyncTriggers(Apps apps, SyncQueue queue) {
        this.apps = apps;
        this.queue = queue;
    }

    SyncRun trigger(TenantId tenant, SyncTriggerRequest body, String idempotencyKey) {
        Validated checked = validated(tenant, body);
        return queue.enqueue(checked.request(), RunTrigger.MANUAL, checked.app().maxAttempts(), idempotencyKey);
    }

    /** A trigger body checked whole: the engine's request, and the app it syncs. */
    record Validated(SyncRequest request, LoadedApp app) {
    }

    /** The engine's request for a trigger body, or a 4xx naming the first field that is wrong. */
    Validated validated(TenantId tenant, SyncTriggerRequest body) {
        if (body.appKey() == null) {
            throw ApiProblem.invalidField("app_key", "is required");
        }
        ApiProblem.requireValidKey("app_key", body.appKey());
        LoadedApp app = apps.load(tenant, body.appKey())
                .orElseThrow(() -> ApiProblem.notFound("No app " + body.appKey()));
        List<String> collections;
        try {
            collections = app.connector().collections(app.context());
        } catch (ConnectorException.ConfigInvalid e) {
            throw new ApiProblem(io.micronaut.http.HttpStatus.CONFLICT, "app_config_invalid",
                    "App " + body.appKey() + " cannot sync until its configuration is fixed: " + e.getMessage());
        }
        if (body.collection() != null && !collections.contains(body.collection())) {
            throw ApiProblem.invalidField("collection", "app " + body.appKey() + " has no collection "
                    + body.collection() + "; it has " + String.join(", ", collections));
        }
        RunMode mode = mode(body.mode());
        List<String> ids = body.ids() == null ? List.of() : body.ids();
        if (ids.size() > MAX_IDS) {
            throw ApiProblem.invalidField("ids", "at most " + MAX_IDS + " ids per run");
        }
        for (String id : ids) {
            if (id == null || id.isBlank() || id.length() > 255) {
                throw ApiProblem.invalidField("ids", "every id must be a non-empty string of at most 255 characters");
            }
        }
        if (!ids.isEmpty() && body.collection() == null && collections.size() != 1) {
            throw ApiProblem.invalidField("collection", "is required with ids (the app has "
                    + String.join(", ", collections) + ")");
        }
        RunFilters filters = filters(body.filters());
        if (!ids.isEmpty() && filters.narrows()) {
            throw ApiProblem.invalidField("filters", "cannot be combined with ids");
        }
        return new Validated(new SyncRequest(tenant, body.appKey(), body.collection() != null ? body.collection()
                : ids.isEmpty() ? null : collections.get(0), mode, Boolean.TRUE.equals(body.dryRun()),
                Boolean.TRUE.equals(body.forceDeletions()), ids, filters), app);
    }

    private static RunMode mode(String mode) {
        if (mode == null) {
            return RunMode.INCREMENTAL;
        }
        return RunMode.pull(mode).orElseThrow(() -> ApiProblem.invalidField("mode", "must be full or incremental"));
    }

    private static RunFilters filters(SyncFilters filters) {
        if (filters == null) {
            return RunFilters.NONE;
        }
        List<String> statuses = filters.status() == null ? List.of() : filters.status();
        if (statuses.size() > MAX_STATUSES) {
            throw ApiProblem.invalidField("filters.status", "at most " + MAX_STATUSES + " statuses");
        }
        for (String status : statuses) {
            if (status == null || status.isBlank()) {
                throw ApiProblem.invalidField("filters.status", "every status must be a non-empty string");
            }
        }
        Instant from = null;
        Instant to = null;
        if (filters.dateRange() != null) {
            from = instant("filters.date_range.start", filters.dateRange().start());
            to = instant("filters.date_range.end", filters.dateRange().end());
            if (from == null && to == null) {
                throw ApiProblem.invalidField("filters.date_range", "needs start, end or both");
            }
            if (from != null && to != null && from.isAfter(to)) {
                throw ApiProblem.invalidField("filters.date_range", "start must not be after end");
            }
        }
        return new RunFilters(statuses, from, to);
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        return IsoTimestamp.parse(field, value);
    }
}
